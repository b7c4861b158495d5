package io.e6link.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;

/** Which event selectors deliver the write management events EventBridge receives. */
class CloudTrailCheckTest {
    @Test
    void classicSelectorsDeliverWriteManagementEventsUnlessReadOnlyOrExcluded() {
        assertThat(CloudTrailCheck.recordsWriteManagementEvents(classic(ReadWriteType.ALL, true))).isTrue();
        assertThat(CloudTrailCheck.recordsWriteManagementEvents(classic(ReadWriteType.WRITE_ONLY, true))).isTrue();
        assertThat(CloudTrailCheck.recordsWriteManagementEvents(classic(ReadWriteType.READ_ONLY, true))).isFalse();
        assertThat(CloudTrailCheck.recordsWriteManagementEvents(classic(ReadWriteType.ALL, false))).isFalse();
    }

    @Test
    void advancedSelectorsNeedTheManagementCategoryWithoutReadOnly() {
        assertThat(CloudTrailCheck.recordsWriteManagementEvents(advanced(field("eventCategory", "Management")))).isTrue();
        assertThat(CloudTrailCheck.recordsWriteManagementEvents(advanced(field("eventCategory", "Management"), field("readOnly", "true")))).isFalse();
        assertThat(CloudTrailCheck.recordsWriteManagementEvents(advanced(field("eventCategory", "Data")))).isFalse();
    }

    private static GetEventSelectorsResponse classic(ReadWriteType type, boolean management) {
        return GetEventSelectorsResponse.builder()
                .eventSelectors(EventSelector.builder().readWriteType(type).includeManagementEvents(management).build()).build();
    }

    private static GetEventSelectorsResponse advanced(AdvancedFieldSelector... fields) {
        return GetEventSelectorsResponse.builder().advancedEventSelectors(AdvancedEventSelector.builder().fieldSelectors(fields).build()).build();
    }

    private static AdvancedFieldSelector field(String name, String value) {
        return AdvancedFieldSelector.builder().field(name).equalsValue(value).build();
    }
}
