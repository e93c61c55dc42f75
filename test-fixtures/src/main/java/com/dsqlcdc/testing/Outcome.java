package com.dsqlcdc.testing;

/**
 * The fate {@link FakeRedshiftDataApi} gives an accepted statement, decided when it is submitted
 * (see {@link FakeRedshiftDataApi#outcomes}). "Latency" is {@link
 * FakeRedshiftDataApi#statementLatency}, measured from submission.
 */
public sealed interface Outcome {

    /** FINISHED after the latency; its effects land at that moment. */
    static Outcome finished() {
        return new Finished();
    }

    /**
     * FAILED with {@code error} as its Error text after the latency; nothing lands. In a batch the
     * last statement is the one that fails (the earlier ones report FINISHED, then rolled back).
     */
    static Outcome failed(String error) {
        return new Failed(error, -1);
    }

    /**
     * For a batch: sub-statement {@code index} (0-based) fails with {@code error}; the ones before
     * it report FINISHED, the ones after it ABORTED; nothing lands. Same as {@link #failed} for a
     * single statement.
     */
    static Outcome failedAt(int index, String error) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0");
        }
        return new Failed(error, index);
    }

    /** ABORTED after the latency; nothing lands. */
    static Outcome aborted() {
        return new Aborted();
    }

    /** STARTED forever (until cancelled); nothing lands. */
    static Outcome stuck() {
        return new Stuck();
    }

    /**
     * Its effects land at once (during ExecuteStatement) but DescribeStatement keeps saying STARTED
     * forever: a statement that committed but whose poll times out.
     */
    static Outcome landsButStaysStarted() {
        return new LandsButStaysStarted();
    }

    record Finished() implements Outcome {}

    /** @param subStatementIndex the failing sub-statement of a batch, or -1 for the last one */
    record Failed(String error, int subStatementIndex) implements Outcome {
        public Failed {
            if (error == null || error.isEmpty()) {
                throw new IllegalArgumentException("a failed outcome needs an error text");
            }
        }
    }

    record Aborted() implements Outcome {}

    record Stuck() implements Outcome {}

    record LandsButStaysStarted() implements Outcome {}
}
