package com.dsqlcdc.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that stands still until the test moves it (thread-safe: the fakes read it from their threads). */
public final class ManualClock extends Clock {

    private volatile Instant now;

    /** @param start the time it shows until moved */
    public ManualClock(Instant start) {
        this.now = start;
    }

    /** @param time the time it shows from now on */
    public void set(Instant time) {
        now = time;
    }

    /** @param duration how far to move it forward */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
