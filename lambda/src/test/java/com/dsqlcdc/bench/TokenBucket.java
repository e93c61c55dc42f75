package com.dsqlcdc.bench;

/**
 * A per-second quota shared by every caller (the Data API's per-account quotas), as a generic cell
 * rate: {@code rate} calls a second, bursts of up to {@code rate}. A call that would exceed it is
 * admitted when it conforms: the caller waits, as if the SDK's retries had found the first free
 * slot, which is optimistic (real retries back off and may give up). Calls must come in time order.
 */
final class TokenBucket {

    private final double interval;
    private final double tolerance;
    private double theoretical = Double.NEGATIVE_INFINITY;
    private long calls;
    private double waited;

    /** @param perSecond calls a second */
    TokenBucket(int perSecond) {
        this.interval = 1.0 / perSecond;
        this.tolerance = (perSecond - 1) * interval;
    }

    /**
     * @param time when the call is made (seconds)
     * @return when it is admitted
     */
    double admit(double time) {
        double tat = Math.max(theoretical, time);
        double at = Math.max(time, tat - tolerance);
        theoretical = tat + interval;
        calls++;
        waited += at - time;
        return at;
    }

    long calls() {
        return calls;
    }

    double waited() {
        return waited;
    }
}
