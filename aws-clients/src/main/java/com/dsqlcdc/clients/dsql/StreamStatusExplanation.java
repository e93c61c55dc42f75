package com.dsqlcdc.clients.dsql;

/** Turns a stream's {@code statusReason.error} into the cause and the fix, in plain words. */
public final class StreamStatusExplanation {

    private StreamStatusExplanation() {}

    /** One paragraph for the operator: which stream, its state, why, and what to do. */
    public static String describe(GetStreamResponse stream) {
        StatusReason reason = stream.statusReason();
        String error = reason == null ? null : reason.error();
        StringBuilder text = new StringBuilder("DSQL CDC stream ")
                .append(stream.arn())
                .append(" is ")
                .append(stream.status());
        if (error != null) {
            text.append(" (").append(error);
            if (reason.updatedAt() != null) {
                text.append(" since ").append(reason.updatedAt());
            }
            text.append(")");
        }
        return text.append(". ").append(explain(error)).toString();
    }

    /** Cause and fix for one {@code statusReason.error} value (null or unknown: a generic text). */
    public static String explain(String error) {
        if (error == null) {
            return "DSQL gave no reason. Fix: check the stream with `aws dsql get-stream` and the"
                    + " AWS/AuroraDSQL IsImpaired metric; if it stays in this state (FAILED is permanent), recreate it:"
                    + " raise the environment's cdcStreamGeneration by one and redeploy.";
        }
        return switch (error) {
            case "KINESIS_THROUGHPUT_EXCEEDED" ->
                "Cause: DSQL writes changes faster than the Kinesis stream accepts them"
                        + " (WriteProvisionedThroughputExceeded). Fix: use an ON_DEMAND stream (this app does) or"
                        + " add shards; DSQL retries by itself and keeps undelivered changes for one week, and the"
                        + " stream returns to ACTIVE once writes fit.";
            case "KINESIS_STREAM_NOT_FOUND" ->
                "Cause: the target Kinesis stream does not exist (deleted, renamed, or in another account or"
                        + " Region than the cluster). This is permanent. Fix: restore the Kinesis stream in the"
                        + " cluster's account and Region (redeploy the Stateful stack), then replace the failed DSQL"
                        + " stream: raise the environment's cdcStreamGeneration by one and redeploy (a new Kinesis"
                        + " stream ARN replaces it by itself).";
            case "ROLE_ACCESS_DENIED" ->
                "Cause: DSQL could not assume the service role. Fix: the role's trust policy must allow"
                        + " dsql.amazonaws.com with aws:SourceAccount = this account and aws:SourceArn like"
                        + " arn:aws:dsql:<region>:<account>:cluster/<clusterId>/stream/* (the stream ARN, not the"
                        + " cluster ARN); also check that no SCP or permissions boundary denies sts:AssumeRole.";
            case "KINESIS_ACCESS_DENIED" ->
                "Cause: the service role may not write to the Kinesis stream. Fix: allow kinesis:PutRecord,"
                        + " kinesis:PutRecords, kinesis:DescribeStreamSummary and kinesis:ListShards on the"
                        + " stream's ARN in the role's policy, and check SCPs and the stream's resource policy.";
            case "KINESIS_KMS_ACCESS_DENIED" ->
                "Cause: the Kinesis stream is encrypted with a customer managed KMS key the service role may"
                        + " not use. Fix: allow kms:GenerateDataKey on that key with kms:ViaService ="
                        + " kinesis.<region>.amazonaws.com and kms:EncryptionContext:aws:kinesis:arn = the stream"
                        + " ARN; check that the key is enabled and its key policy lets IAM policies grant access.";
            case "KINESIS_OVERSIZE_RECORD" ->
                "Cause: a change record was larger than the Kinesis stream's maximum record size. Fix: set"
                        + " MaxRecordSizeInKiB to 10240 on the Kinesis stream (this app does); DSQL retries the"
                        + " record once the limit allows it.";
            case "CLUSTER_CMK_INACCESSIBLE" ->
                "Cause: the cluster's customer managed KMS key is disabled, pending deletion, or its key"
                        + " policy no longer lets DSQL use it. Fix: re-enable the key or cancel its deletion and"
                        + " restore DSQL's access in the key policy; the stream resumes once the key is usable.";
            case "INTERNAL_ERROR" ->
                "Cause: an internal error in Aurora DSQL. Fix: if FAILED, raise the environment's cdcStreamGeneration by"
                        + " one and redeploy to get a new stream; if it persists, open an AWS"
                        + " Support case quoting the stream ARN and the time above.";
            default ->
                "Cause: DSQL reported " + error + ", which this version does not know. Fix: see the Aurora"
                        + " DSQL CDC documentation for this error; redeploy once it is fixed.";
        };
    }
}
