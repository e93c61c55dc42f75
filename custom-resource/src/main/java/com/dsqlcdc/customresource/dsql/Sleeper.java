package com.dsqlcdc.customresource.dsql;

import java.time.Duration;

/** Waits between attempts. Tests substitute one that records the delays instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
