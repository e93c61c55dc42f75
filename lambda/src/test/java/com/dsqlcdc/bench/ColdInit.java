package com.dsqlcdc.bench;

import com.dsqlcdc.consumer.ConsumerHandler;
import com.dsqlcdc.loader.LoaderHandler;
import java.lang.management.ManagementFactory;

/**
 * Run in a fresh JVM by {@link PipelineBenchmark}, with only the shaded Lambda jar (and this class)
 * on the class path and the function's environment: builds the handler as Lambda's init phase does
 * (class loading, static init, the no-arg constructor with real SDK clients) and prints the times.
 * The argument names the function: {@code consumer} or {@code loader}.
 */
public final class ColdInit {

    private ColdInit() {}

    public static void main(String[] args) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainStart = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Object handler = args.length > 0 && args[0].equals("loader") ? new LoaderHandler() : new ConsumerHandler();
        long constructMs = (System.nanoTime() - t0) / 1_000_000;
        long initMs = System.currentTimeMillis() - jvmStart;
        System.out.println("COLD_INIT jvm_to_main_ms=" + (mainStart - jvmStart) + " constructor_ms=" + constructMs
                + " jvm_start_to_handler_ready_ms=" + initMs + " handler="
                + handler.getClass().getSimpleName());
    }
}
