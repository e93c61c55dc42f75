package com.dsqlcdc.infra.delivery;

import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.config.DeliveryConfig;
import java.util.Map;
import java.util.Objects;

/**
 * Properties of {@link DeliveryPipelineStack}.
 *
 * @param delivery the pipeline's validated settings; its account/Region become the stack's env, its
 *                 stages the pipeline's deployment stages, in order
 * @param stages   the app's stages (the laptop-deployable ones, scope: the app) by environment name.
 *                 The pipeline deploys these very constructs, so a pipeline deploy and a laptop deploy
 *                 produce the same stack names and the same templates. They must be complete: the
 *                 pipeline synthesises each when it is added. Must hold every environment of
 *                 {@code delivery.stages()}.
 */
public record DeliveryPipelineStackProps(DeliveryConfig delivery, Map<String, PipelineStage> stages) {

    public DeliveryPipelineStackProps {
        Objects.requireNonNull(delivery, "DeliveryPipelineStackProps.delivery is required");
        stages = Map.copyOf(Objects.requireNonNull(stages, "DeliveryPipelineStackProps.stages is required"));
        for (DeliveryConfig.Stage stage : delivery.stages()) {
            if (!stages.containsKey(stage.environment().name())) {
                throw new IllegalArgumentException("DeliveryPipelineStackProps.stages has no stage for environment "
                        + stage.environment().name() + ", which the pipeline delivers");
            }
        }
    }
}
