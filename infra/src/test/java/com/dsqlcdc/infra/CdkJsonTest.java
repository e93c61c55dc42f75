package com.dsqlcdc.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.constructs.MetadataEntry;

/** cdk.json holds nothing the CDK CLI warns about, and the app's own defaults are in the app. */
class CdkJsonTest {

    @Test
    void cdkJsonContextHoldsNoKeyWithTheCliReservedPrefix() {
        // The CLI prints "A reserved context key ('context.aws:') key was found in cdk.json" for each.
        assertThat(TestSupport.cdkJsonContext().keySet())
                .as("context keys of cdk.json")
                .noneMatch(key -> key.startsWith(DsqlCdcApp.RESERVED_CONTEXT_PREFIX));
    }

    @Test
    void theAppRecordsNoCreationStackTracesWhichHoldNoUserFramesUnderJsii() {
        App app = DsqlCdcApp.newApp();
        Stack stack = new Stack(app, "Probe");

        List<String> types = stack.getNode().getMetadata().stream()
                .map(MetadataEntry::getType)
                .toList();
        assertThat(types).doesNotContain("aws:cdk:creationStack");
        assertThat(new Stack(new App(), "Default")
                        .getNode().getMetadata().stream().map(MetadataEntry::getType))
                .as("what the setting turns off (CDK's default)")
                .contains("aws:cdk:creationStack");
    }
}
