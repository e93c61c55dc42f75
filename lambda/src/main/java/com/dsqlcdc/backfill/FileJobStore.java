package com.dsqlcdc.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The laptop command's checkpoint: one JSON file holding one job, {@code {"plan": ..., "ranges":
 * [...]}}, rewritten whole on every save (to a temporary file, then renamed over the old one, so a
 * command killed mid-write leaves the previous checkpoint intact). Saves are serialised, so the
 * command's worker threads can share it. The report goes to a file of its own beside it
 * ({@code <checkpoint>.report.json}).
 */
public final class FileJobStore implements JobStore {

    private final Path file;
    private JobPlan plan;
    private final Map<String, RangeState> ranges = new LinkedHashMap<>();

    /**
     * @param file the checkpoint file (read now when it exists)
     * @throws IllegalStateException when it exists but is not a checkpoint
     */
    public FileJobStore(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                JsonNode root = JobJson.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
                if (root.hasNonNull("plan")) {
                    plan = JobJson.MAPPER.treeToValue(root.get("plan"), JobPlan.class);
                    if (plan.version() != JobPlan.VERSION) {
                        throw new IllegalStateException(file + " was written by another version of the backfill"
                                + " (format " + plan.version() + "); start again with --restart");
                    }
                }
                for (JsonNode range : root.path("ranges")) {
                    RangeState state = JobJson.MAPPER.treeToValue(range, RangeState.class);
                    ranges.put(key(state.table(), state.index()), state);
                }
            } catch (IOException e) {
                throw new IllegalStateException(
                        file + " is not a backfill checkpoint (" + e.getMessage() + "); move it away or pass --restart",
                        e);
            }
        }
    }

    @Override
    public synchronized Optional<JobPlan> plan(String jobId) {
        return plan != null && plan.jobId().equals(jobId) ? Optional.of(plan) : Optional.empty();
    }

    /** @return the plan in the file, whatever its job */
    public synchronized Optional<JobPlan> plan() {
        return Optional.ofNullable(plan);
    }

    @Override
    public synchronized void savePlan(JobPlan newPlan) {
        if (plan != null && !plan.jobId().equals(newPlan.jobId())) {
            ranges.clear();
        }
        plan = newPlan;
        write();
    }

    @Override
    public synchronized List<RangeState> ranges(String jobId) {
        return plan(jobId).isPresent() ? new ArrayList<>(ranges.values()) : List.of();
    }

    @Override
    public synchronized Optional<RangeState> range(String jobId, String table, int index) {
        return plan(jobId).isPresent() ? Optional.ofNullable(ranges.get(key(table, index))) : Optional.empty();
    }

    @Override
    public synchronized void saveRange(String jobId, RangeState state) {
        if (plan(jobId).isEmpty()) {
            throw new IllegalStateException("job " + jobId + " is not the job in " + file);
        }
        ranges.put(key(state.table(), state.index()), state);
        write();
    }

    @Override
    public void saveReport(String jobId, String reportJson) {
        try {
            Files.writeString(reportPath(), reportJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw JobJson.io("cannot write " + reportPath(), e);
        }
    }

    @Override
    public String reportLocation(String jobId) {
        return reportPath().toString();
    }

    private Path reportPath() {
        return file.resolveSibling(file.getFileName() + ".report.json");
    }

    private void write() {
        ObjectNode root = JobJson.MAPPER.createObjectNode();
        root.set("plan", JobJson.MAPPER.valueToTree(plan));
        ArrayNode list = root.putArray("ranges");
        ranges.values().forEach(r -> list.add(JobJson.MAPPER.valueToTree(r)));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(temporary, JobJson.write(root), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw JobJson.io("cannot write the checkpoint " + file, e);
        }
    }

    private static String key(String table, int index) {
        return table + "#" + index;
    }
}
