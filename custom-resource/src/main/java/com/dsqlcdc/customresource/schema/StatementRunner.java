package com.dsqlcdc.customresource.schema;

import com.dsqlcdc.contract.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * Runs one SQL statement through the Redshift Data API and waits for its outcome: ExecuteStatement
 * only queues it, so it is polled with DescribeStatement (backoff from {@code firstPoll}, doubling
 * up to {@code maxPoll}) until FINISHED. FAILED and ABORTED throw with the database's error text;
 * a statement still running at the deadline is cancelled and throws. A statement is never taken
 * as done on anything but FINISHED.
 *
 * <p>Throttling, 5xx and I/O errors are retried by the client's retry strategy; every submission
 * carries its own client token, so a retried ExecuteStatement whose first answer was lost does not
 * run the SQL twice.
 */
public final class StatementRunner {

  private static final Logger LOG = LoggerFactory.getLogger(StatementRunner.class);
  /** How much of a failing statement's SQL goes into the error message. */
  static final int SQL_EXCERPT_CHARS = 300;

  private final RedshiftDataClient client;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration firstPoll;
  private final Duration maxPoll;

  public StatementRunner(
      RedshiftDataClient client, Clock clock, Sleeper sleeper, Duration firstPoll, Duration maxPoll) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.firstPoll = firstPoll;
    this.maxPoll = maxPoll;
  }

  /** What DescribeStatement said about a FINISHED statement. */
  public record Finished(String id, long resultRows) {}

  /**
   * Runs {@code sql} and returns once it is FINISHED.
   *
   * @param label what the statement is, for logs and errors ("statement 3 of 12")
   * @param parameters named parameters ({@code :name} in the SQL); values must be non-empty
   * @throws WarehouseSchemaException if it failed, was aborted, was still running at the deadline,
   *     or the Data API refused it
   */
  public Finished run(DataApiTarget target, String label, String sql, Map<String, String> parameters, Instant deadline) {
    if (!clock.instant().isBefore(deadline)) {
      throw new WarehouseSchemaException(
          "Out of time before " + label + " could start: it was not run. " + retryHint() + sqlExcerpt(sql));
    }
    Instant started = clock.instant();
    String id = execute(target, label, sql, parameters);
    LOG.info("{} submitted as {}", label, id);
    Duration delay = firstPoll;
    while (true) {
      Duration left = Duration.between(clock.instant(), deadline);
      sleep(min(delay, left.isNegative() ? Duration.ZERO : left), label, id);
      DescribeStatementResponse statement = describe(label, id);
      StatusString status = statement.status();
      if (status == StatusString.FINISHED) {
        long rows = statement.resultRows() == null ? -1 : statement.resultRows();
        LOG.info("{} ({}) FINISHED in {} ms", label, id, Duration.between(started, clock.instant()).toMillis());
        return new Finished(id, rows);
      }
      if (status == StatusString.FAILED) {
        throw new WarehouseSchemaException(
            label + " failed: " + errorText(statement) + sqlExcerpt(sql) + "\n" + retryHint());
      }
      if (status == StatusString.ABORTED) {
        throw new WarehouseSchemaException(
            label + " failed: it was ABORTED (cancelled before it finished"
                + (statement.error() == null || statement.error().isBlank() ? "" : ": " + statement.error())
                + "), so it did not take effect." + sqlExcerpt(sql) + "\n" + retryHint());
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new WarehouseSchemaException(
            label + " is still running (" + statement.statusAsString() + ", statement id " + id + ") after "
                + Duration.between(started, clock.instant()).toSeconds() + " s, at the deadline of this"
                + " invocation; " + cancel(id) + ". The schema is not fully applied." + sqlExcerpt(sql)
                + "\nFix: find out why it is slow (a lock held by another session shows in SVV_TRANSACTIONS),"
                + " then deploy again.");
      }
      delay = min(delay.multipliedBy(2), maxPoll);
    }
  }

  private String execute(DataApiTarget target, String label, String sql, Map<String, String> parameters) {
    ExecuteStatementRequest.Builder request =
        ExecuteStatementRequest.builder()
            .workgroupName(target.workgroupName())
            .database(target.database())
            .secretArn(target.secretArn())
            .sql(sql)
            // One token per submission: the SDK's retries of this call reuse it, so a retry after a
            // lost response returns the same statement instead of running the SQL again.
            .clientToken(UUID.randomUUID().toString());
    if (!parameters.isEmpty()) {
      List<SqlParameter> sqlParameters =
          parameters.entrySet().stream()
              .map(e -> SqlParameter.builder().name(e.getKey()).value(e.getValue()).build())
              .toList();
      request.parameters(sqlParameters);
    }
    try {
      return client.executeStatement(request.build()).id();
    } catch (SdkException e) {
      throw new WarehouseSchemaException(
          label + " could not be submitted to the Redshift Data API (" + target + "): " + describe(e)
              + hint(e) + sqlExcerpt(sql),
          e);
    }
  }

  private DescribeStatementResponse describe(String label, String id) {
    try {
      return client.describeStatement(r -> r.id(id));
    } catch (SdkException e) {
      throw new WarehouseSchemaException(
          "Could not poll " + label + " (statement id " + id + "): " + describe(e) + hint(e)
              + ". Its outcome is unknown; " + cancel(id) + ".",
          e);
    }
  }

  /** Cancels a statement that must not outlive this invocation; says what happened. */
  private String cancel(String id) {
    try {
      Boolean cancelled = client.cancelStatement(r -> r.id(id)).status();
      LOG.warn("CancelStatement {}: {}", id, cancelled);
      return Boolean.TRUE.equals(cancelled)
          ? "it was cancelled"
          : "CancelStatement did not confirm the cancellation, so it may still complete";
    } catch (SdkException e) {
      LOG.warn("CancelStatement {} failed: {}", id, e.getMessage());
      return "cancelling it failed (" + describe(e) + "), so it may still complete";
    }
  }

  private void sleep(Duration duration, String label, String id) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WarehouseSchemaException(
          "Interrupted while waiting for " + label + " (statement id " + id + "); " + cancel(id) + ".", e);
    }
  }

  private static String errorText(DescribeStatementResponse statement) {
    String error = statement.error();
    return error == null || error.isBlank() ? "(DescribeStatement gave no error text)" : error.strip();
  }

  static String sqlExcerpt(String sql) {
    String flat = sql.strip();
    return "\nSQL: " + (flat.length() <= SQL_EXCERPT_CHARS ? flat : flat.substring(0, SQL_EXCERPT_CHARS) + " …");
  }

  private static String retryHint() {
    return "Every statement is idempotent: after fixing the cause, deploy again.";
  }

  private static String describe(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      return service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
    }
    return e.getMessage();
  }

  private static String hint(SdkException e) {
    if (e instanceof AwsServiceException service
        && service.awsErrorDetails() != null
        && "AccessDeniedException".equals(service.awsErrorDetails().errorCode())) {
      return ". The handler's role needs redshift-data:ExecuteStatement, DescribeStatement and"
          + " CancelStatement (Resource *) and secretsmanager:GetSecretValue on the admin secret";
    }
    return "";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
