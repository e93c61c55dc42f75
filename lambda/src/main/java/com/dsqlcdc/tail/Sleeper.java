package com.dsqlcdc.tail;

import java.time.Duration;

/** A pause between polls; tests pass one that moves a fake clock instead of waiting. */
@FunctionalInterface
interface Sleeper {

    /** Thread.sleep; an interrupt ends the pause early and keeps the thread's interrupt flag. */
    Sleeper SYSTEM = d -> {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    void sleep(Duration duration);
}
