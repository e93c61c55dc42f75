package com.dsqlcdc.infra.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Which KMS key encrypts a resource: the service's AWS owned key, a customer managed key that
 * this app creates (rotation on), or an existing customer managed key given by its ARN.
 *
 * @param source where the key comes from
 * @param keyArn the key ARN, present exactly when {@code source} is {@link Source#IMPORTED}
 */
public record KmsKeyConfig(Source source, Optional<String> keyArn) {

    /** Where the key comes from. */
    public enum Source {
        /** The service's AWS owned key: no key in the account, no KMS charges. */
        AWS_OWNED,
        /** A customer managed key created by this app, with automatic rotation. */
        CREATE,
        /** An existing customer managed key, referenced by ARN. */
        IMPORTED
    }

    public KmsKeyConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(keyArn, "keyArn");
        if ((source == Source.IMPORTED) != keyArn.isPresent()) {
            throw new IllegalArgumentException("keyArn must be present exactly when source is IMPORTED");
        }
    }

    /** @return the service's AWS owned key */
    public static KmsKeyConfig awsOwned() {
        return new KmsKeyConfig(Source.AWS_OWNED, Optional.empty());
    }

    /** @return a customer managed key created by this app */
    public static KmsKeyConfig create() {
        return new KmsKeyConfig(Source.CREATE, Optional.empty());
    }

    /**
     * @param keyArn ARN of an existing customer managed key
     * @return that key
     */
    public static KmsKeyConfig imported(String keyArn) {
        return new KmsKeyConfig(Source.IMPORTED, Optional.of(keyArn));
    }
}
