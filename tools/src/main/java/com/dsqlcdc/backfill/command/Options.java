package com.dsqlcdc.backfill.command;

import com.dsqlcdc.contract.env.EnvVar;
import com.dsqlcdc.sql.catalog.InvalidCatalogException;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import software.amazon.awssdk.regions.Region;

/** Checks of option values, each failure a {@link CommandLine.ParameterException} naming the option and the fix. */
final class Options {

    private Options() {}

    /**
     * Checks a value against the deployed job's own variable, so the laptop and the job accept the
     * same values.
     *
     * @return {@code value}
     */
    static <T> T check(CommandLine commandLine, String option, EnvVar<T> variable, T value) {
        try {
            variable.format(value);
            return value;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage().startsWith(variable.name() + "=")
                    ? e.getMessage().substring(variable.name().length() + 1)
                    : e.getMessage();
            throw invalid(commandLine, option, message);
        }
    }

    /** @return {@code value} when in {@code [min, max]} */
    static int range(CommandLine commandLine, String option, int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw invalid(commandLine, option, value + " is not a whole number in " + min + "-" + max + ": " + what);
        }
        return value;
    }

    static CommandLine.ParameterException invalid(CommandLine commandLine, String option, String message) {
        return new CommandLine.ParameterException(commandLine, "Invalid value for option '" + option + "': " + message);
    }

    /** @return the Region named, or null (the SDK's default chain) */
    static Region region(CommandLine commandLine, String region) {
        if (region == null) {
            return null;
        }
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw invalid(commandLine, "--region", region + " is not a Region name, e.g. us-east-1");
        }
        return Region.of(region);
    }

    /**
     * @param file a catalog file, or null for the one built into tools.jar
     * @return the catalog
     */
    static TableCatalog catalog(CommandLine commandLine, Path file) {
        if (file == null) {
            return TableCatalog.load();
        }
        try {
            return TableCatalog.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw invalid(commandLine, "--catalog", "cannot read " + file + " (" + e.getMessage() + ")");
        } catch (InvalidCatalogException e) {
            throw invalid(commandLine, "--catalog", e.getMessage());
        }
    }
}
