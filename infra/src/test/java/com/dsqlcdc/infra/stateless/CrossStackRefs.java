package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.PipelineStage;
import java.util.Map;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What a value of the stateful stack looks like in the stateless template: a reference to the
 * stateful output that publishes it. Finding that output by its value checks the wiring: the
 * reference is to the right resource attribute of the right stack.
 */
public final class CrossStackRefs {

    private final PipelineStage stage;
    private final Template stateful;

    public CrossStackRefs(PipelineStage stage, Template stateful) {
        this.stage = stage;
        this.stateful = stateful;
    }

    /**
     * @param statefulToken a token of the stateful stack (e.g. the stream ARN)
     * @return the intrinsic the stateless template uses to read it
     */
    public Map<String, Object> of(String statefulToken) {
        Map<String, Map<String, Object>> outputs = stateful.findOutputs(
                "*", Match.objectLike(Map.of("Value", stage.getStateful().resolve(statefulToken))));
        assertThat(outputs).as("stateful output publishing %s", statefulToken).hasSize(1);
        return Map.of(
                "Fn::GetStackOutput",
                Map.of(
                        "StackName", stage.getStateful().getStackName(),
                        "Region",
                                stage.getStateless()
                                        .resolve(stage.getStateless().getRegion()),
                        "OutputName", outputs.keySet().iterator().next()));
    }
}
