package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.StagingLayout;
import java.util.List;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.stepfunctions.IItemReader;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.QueryLanguage;
import software.amazon.awscdk.services.stepfunctions.S3FileItemReaderProps;
import software.amazon.awscdk.services.stepfunctions.S3JsonItemReader;

/**
 * The backfill job's distributed map reads its work items from the plan step's {@code items.json}
 * ({@code $.itemsKey} of the staging bucket). CDK's {@link S3JsonItemReader} renders that reader but
 * grants the state machine {@code s3:GetObject} on every object of the bucket, staged row data
 * included; this one renders the same and grants it under {@code backfill/} only, where the plan
 * step writes the items.
 */
final class BackfillItemsReader implements IItemReader {

    private final IBucket bucket;
    private final S3JsonItemReader reader;

    /**
     * @param bucket  the staging bucket
     * @param keyPath where in the map's input the items' key is, e.g. {@code $.itemsKey}
     */
    BackfillItemsReader(IBucket bucket, String keyPath) {
        this.bucket = bucket;
        this.reader = new S3JsonItemReader(S3FileItemReaderProps.builder()
                .bucket(bucket)
                .key(JsonPath.stringAt(keyPath))
                .build());
    }

    @Override
    public IBucket getBucket() {
        return bucket;
    }

    @Override
    public String getResource() {
        return reader.getResource();
    }

    @Override
    public List<PolicyStatement> providePolicyStatements() {
        return List.of(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(bucket.arnForObjects(StagingLayout.BACKFILL + "*")))
                .build());
    }

    @Override
    public Object render(QueryLanguage queryLanguage) {
        return reader.render(queryLanguage);
    }

    @Override
    public Object render() {
        return reader.render();
    }

    @Override
    public List<String> validateItemReader() {
        return reader.validateItemReader();
    }
}
