package com.dsqlcdc.infra.delivery;

import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.config.DeliveryConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Properties of {@link DeliveryPipelineStack}; build with {@link #builder()}. */
public final class DeliveryPipelineStackProps {

    private final DeliveryConfig delivery;
    private final Map<String, PipelineStage> stages;

    private DeliveryPipelineStackProps(Builder builder) {
        this.delivery = Objects.requireNonNull(builder.delivery, "DeliveryPipelineStackProps.delivery is required");
        this.stages = Map.copyOf(Objects.requireNonNull(builder.stages, "DeliveryPipelineStackProps.stages is required"));
        for (DeliveryConfig.Stage stage : delivery.stages()) {
            if (!stages.containsKey(stage.environment().name())) {
                throw new IllegalArgumentException("DeliveryPipelineStackProps.stages has no stage for environment "
                        + stage.environment().name() + ", which the pipeline delivers");
            }
        }
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the pipeline's validated settings: its account/Region, source and stages */
    public DeliveryConfig getDelivery() {
        return delivery;
    }

    /** @return the app's stages by environment name; the pipeline deploys those its config names */
    public Map<String, PipelineStage> getStages() {
        return stages;
    }

    /** Builder of {@link DeliveryPipelineStackProps}. */
    public static final class Builder {
        private DeliveryConfig delivery;
        private Map<String, PipelineStage> stages;

        private Builder() {
        }

        /**
         * @param delivery the pipeline's validated settings; its account/Region become the stack's
         *                 env, its stages the pipeline's deployment stages, in order. Required.
         * @return this builder
         */
        public Builder delivery(DeliveryConfig delivery) {
            this.delivery = delivery;
            return this;
        }

        /**
         * @param stages the app's stages (the laptop-deployable ones, scope: the app) by environment
         *               name. The pipeline deploys these very constructs, so a pipeline deploy and a
         *               laptop deploy produce the same stack names and the same templates. They must be
         *               complete: the pipeline synthesises each when it is added. Required; must hold
         *               every environment of {@code delivery.stages()}.
         * @return this builder
         */
        public Builder stages(Map<String, PipelineStage> stages) {
            this.stages = new LinkedHashMap<>(stages);
            return this;
        }

        /** @return the properties */
        public DeliveryPipelineStackProps build() {
            return new DeliveryPipelineStackProps(this);
        }
    }
}
