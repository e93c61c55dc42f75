package com.dsqlcdc.customresource.stream;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The physical id of a {@code Custom::DsqlCdcStream}: the stream's ARN,
 * {@code arn:aws:dsql:<region>:<account>:cluster/<clusterId>/stream/<streamId>}. It names the
 * cluster too, which Delete needs. Anything else as a physical id (for instance the Provider
 * framework's marker after a failed Create) names no stream of ours and is never acted on.
 */
public record StreamArn(String arn, String clusterIdentifier, String streamIdentifier) {

    private static final Pattern FORMAT =
            Pattern.compile("arn:aws[a-z-]*:dsql:[a-z0-9-]+:\\d{12}:cluster/([a-z0-9]{26})/stream/([a-z0-9]{26})");

    public static Optional<StreamArn> parse(String physicalResourceId) {
        if (physicalResourceId == null) {
            return Optional.empty();
        }
        var m = FORMAT.matcher(physicalResourceId);
        return m.matches() ? Optional.of(new StreamArn(physicalResourceId, m.group(1), m.group(2))) : Optional.empty();
    }
}
