package com.dsqlcdc.infra.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The Aurora DSQL cluster whose changes are captured: one this app creates, or an existing one.
 *
 * @param mode               create a cluster or use an existing one
 * @param identifier         the existing cluster's identifier, present exactly when {@code mode}
 *                           is {@link Mode#EXISTING}
 * @param deletionProtection deletion protection of a created cluster (always false, and unused,
 *                           for an existing one)
 * @param kmsKey             the cluster's encryption key; for an existing cluster this only tells
 *                           the app which key the cluster already uses (never {@code CREATE})
 */
public record ClusterConfig(Mode mode, Optional<String> identifier, boolean deletionProtection, KmsKeyConfig kmsKey) {

    /** Whether the app owns the cluster. */
    public enum Mode {
        /** The app creates and owns the cluster (in the stateful stack). */
        CREATE,
        /** The cluster exists already; the app only attaches a CDC stream to it. */
        EXISTING
    }

    public ClusterConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(kmsKey, "kmsKey");
        if ((mode == Mode.EXISTING) != identifier.isPresent()) {
            throw new IllegalArgumentException("identifier must be present exactly when mode is EXISTING");
        }
        if (mode == Mode.EXISTING && (deletionProtection || kmsKey.source() == KmsKeyConfig.Source.CREATE)) {
            throw new IllegalArgumentException(
                    "an existing cluster takes neither deletionProtection nor a created key");
        }
    }

    /**
     * @param deletionProtection whether the created cluster refuses deletion
     * @param kmsKey             its encryption key
     * @return a cluster the app creates
     */
    public static ClusterConfig create(boolean deletionProtection, KmsKeyConfig kmsKey) {
        return new ClusterConfig(Mode.CREATE, Optional.empty(), deletionProtection, kmsKey);
    }

    /**
     * @param identifier the cluster identifier (26 characters {@code [a-z0-9]})
     * @param kmsKey     the key the cluster is encrypted with (AWS owned or an imported ARN)
     * @return an existing cluster
     */
    public static ClusterConfig existing(String identifier, KmsKeyConfig kmsKey) {
        return new ClusterConfig(Mode.EXISTING, Optional.of(identifier), false, kmsKey);
    }
}
