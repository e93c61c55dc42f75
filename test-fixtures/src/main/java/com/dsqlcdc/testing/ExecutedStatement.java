package com.dsqlcdc.testing;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One statement accepted by {@link FakeRedshiftDataApi}: an ExecuteStatement (one SQL text, with
 * its parameters) or a BatchExecuteStatement (several SQL texts, no parameters).
 *
 * @param id the statement id the service answered with (a UUID)
 * @param sqls the SQL texts, in order; one for ExecuteStatement
 * @param parameters the named parameters ({@code name -> value}), in the order sent; empty for a batch
 * @param database the Database member
 * @param workgroupName the WorkgroupName member (null when the call named a ClusterIdentifier)
 * @param secretArn the SecretArn member, or null
 * @param clientToken the ClientToken member (the SDK fills one in), or null
 * @param submittedAt when the fake accepted it (its clock)
 * @param sessionId the Data API session it ran in, or null when it ran outside one
 */
public record ExecutedStatement(
        String id,
        List<String> sqls,
        Map<String, String> parameters,
        String database,
        String workgroupName,
        String secretArn,
        String clientToken,
        Instant submittedAt,
        String sessionId) {

    public ExecutedStatement {
        sqls = List.copyOf(sqls);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * The SQL text of a single statement ({@code sqls().get(0)}). For a batch, all of its texts
     * joined with ";\n", so that predicates such as {@code s -> s.sql().contains("MERGE")} work on
     * batches too; use {@link #sqls()} to see them one by one.
     */
    public String sql() {
        return sqls.size() == 1 ? sqls.get(0) : String.join(";\n", sqls);
    }
}
