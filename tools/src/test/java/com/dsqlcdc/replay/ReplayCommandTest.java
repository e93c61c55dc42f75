package com.dsqlcdc.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The command line: options, usage, and the exit codes that are not an outcome of a replay. */
class ReplayCommandTest {

    private static ReplayHarness harness;

    @BeforeAll
    static void start() {
        harness = new ReplayHarness();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void helpListsTheSubcommandsAndTheExitCodes() {
        ReplayHarness.Run run = harness.run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: replay [-hV] [COMMAND]")
                .contains("quarantine")
                .contains("failed-batches")
                .contains("Exit codes:")
                .containsPattern("0\\s+everything loaded")
                .containsPattern("1\\s+records failed")
                .containsPattern("2\\s+records left")
                .containsPattern("64\\s+invalid command line");
    }

    @Test
    void eachSubcommandDocumentsItsOptions() {
        assertThat(harness.run("quarantine", "--help").out())
                .contains(
                        "--quarantine-bucket=BUCKET",
                        "--prefix=PREFIX",
                        "(default: quarantine/)",
                        "--reason=REASON",
                        "table-not-in-catalog",
                        "--staging-bucket=BUCKET",
                        "--retry-left",
                        "--dry-run",
                        "--max-super-string-bytes=BYTES");
        assertThat(harness.run("failed-batches", "--help").out())
                .contains(
                        "--failed-batch-bucket=BUCKET",
                        "aws/lambda/, where Lambda writes them",
                        "--staging-bucket=BUCKET")
                .doesNotContain("--reason");
    }

    @Test
    void withoutASubcommandItPrintsTheUsageAndFails() {
        ReplayHarness.Run run = harness.run();

        assertThat(run.exitCode()).isEqualTo(ReplayCommand.USAGE);
        assertThat(run.err()).contains("Usage: replay");
    }

    @Test
    void missingRequiredOptionsAreNamed() {
        ReplayHarness.Run run = harness.run("failed-batches", "--dry-run");

        assertThat(run.exitCode()).isEqualTo(ReplayCommand.USAGE);
        assertThat(run.err())
                .contains("Missing required options")
                .contains("--staging-bucket=BUCKET")
                .contains("--failed-batch-bucket=BUCKET");
    }

    @Test
    void settingsOutOfRangeAreNamedByTheirOption() {
        ReplayHarness.Run run = harness.quarantine("--max-super-string-bytes", "5");

        assertThat(run.exitCode()).isEqualTo(ReplayCommand.USAGE);
        assertThat(run.err())
                .contains("Invalid options: --max-super-string-bytes 5 is not a whole number in 65535-16000000");
    }

    @Test
    void anUnknownReasonIsRejectedWithTheKnownOnes() {
        ReplayHarness.Run run = harness.quarantine("--reason", "table-missing");

        assertThat(run.exitCode()).isEqualTo(ReplayCommand.USAGE);
        assertThat(run.err())
                .contains("'table-missing' is not a quarantine reason")
                .contains("table-not-in-catalog");
    }

    @Test
    void anEmptySourceLoadsNothingAndSucceeds() {
        ReplayHarness.Run run = harness.failedBatches("--prefix", "aws/lambda/none/");

        assertThat(run.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(run.out())
                .contains("Replay failed-batches from s3://" + ReplayHarness.FAILED_BATCH_BUCKET
                        + "/aws/lambda/none/: 0 objects")
                .contains("Loaded 0, parked 0, left 0, failed 0");
    }

    @Test
    void aSourceThatCannotBeListedFailsTheRun() {
        try (ReplayHarness failing = new ReplayHarness()) {
            failing.s3.failNextCalls("ListObjectsV2", 10, 503, "SlowDown");

            ReplayHarness.Run run = failing.quarantine();

            assertThat(run.exitCode()).isEqualTo(ReplayReport.FAILED);
            assertThat(run.err()).contains("replay failed: ").contains("Status Code: 503");
        }
    }
}
