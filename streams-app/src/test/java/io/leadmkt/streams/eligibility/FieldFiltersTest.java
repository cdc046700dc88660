package io.leadmkt.streams.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.FieldFilter;
import io.leadmkt.schema.FilterOp;
import io.leadmkt.schema.LeadPreview;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldFiltersTest {
    private static final LeadPreview PREVIEW = LeadPreview.newBuilder()
            .setVertical("auto_insurance").setSourceId("seller-1").setSubId(null).setState("TX").setZip("75001")
            .setScore(72).setLeadAgeMs(1_500)
            .setAttributes(Map.of("homeowner", "true", "vehicle_year", "2019", "credit", "good"))
            .build();

    private static FieldFilter filter(String field, FilterOp op, String... values) {
        return FieldFilter.newBuilder().setField(field).setOp(op).setValues(List.of(values)).build();
    }

    private static boolean matches(FieldFilter... filters) {
        return FieldFilters.matches(List.of(filters), PREVIEW);
    }

    @Test
    void shouldMatchAttributesByListWhenTheBuyerNamesThem() {
        assertThat(matches(filter("attributes.homeowner", FilterOp.IN, "true"))).isTrue();
        assertThat(matches(filter("attributes.credit", FilterOp.IN, "excellent", "very_good"))).isFalse();
        assertThat(matches(filter("attributes.credit", FilterOp.NOT_IN, "poor"))).isTrue();
        assertThat(matches(filter("state", FilterOp.NOT_IN, "TX", "CA"))).isFalse();
    }

    @Test
    void shouldCompareNumbersExactlyAndNeverMatchAValueThatIsNotANumber() {
        assertThat(matches(filter("attributes.vehicle_year", FilterOp.AT_LEAST, "2015"))).isTrue();
        assertThat(matches(filter("attributes.vehicle_year", FilterOp.GREATER_THAN, "2019"))).isFalse();
        assertThat(matches(filter("score", FilterOp.AT_MOST, "72.0"))).isTrue();
        assertThat(matches(filter("leadAgeMs", FilterOp.LESS_THAN, "1500"))).isFalse();
        assertThat(matches(filter("attributes.credit", FilterOp.AT_MOST, "9999"))).as("not a number").isFalse();
        assertThat(matches(filter("attributes.credit", FilterOp.AT_LEAST, "0"))).as("not a number").isFalse();
        assertThat(matches(filter("attributes.missing", FilterOp.LESS_THAN, "1"))).as("absent").isFalse();
    }

    @Test
    void shouldTellPresentFromAbsentWhenAFieldHasNoValue() {
        assertThat(matches(filter("subId", FilterOp.ABSENT))).isTrue();
        assertThat(matches(filter("subId", FilterOp.PRESENT))).isFalse();
        assertThat(matches(filter("subId", FilterOp.NOT_IN, "x"))).as("absent is not in any list").isTrue();
        assertThat(matches(filter("attributes.homeowner", FilterOp.PRESENT))).isTrue();
    }

    @Test
    void shouldRequireEveryFilterWhenSeveralAreSet() {
        assertThat(matches(filter("state", FilterOp.IN, "TX"), filter("score", FilterOp.AT_LEAST, "80"))).isFalse();
        assertThat(matches(filter("state", FilterOp.IN, "TX"), filter("score", FilterOp.AT_LEAST, "70"))).isTrue();
        assertThat(matches()).isTrue();
    }

    @Test
    void shouldKnowOnlyPreviewFieldsSoNoFilterCanSelectOnPii() {
        assertThat(FieldFilters.known("attributes.homeowner")).isTrue();
        assertThat(FieldFilters.known("score")).isTrue();
        assertThat(FieldFilters.known("attributes.")).isFalse();
        assertThat(FieldFilters.known("phone")).isFalse();
        assertThat(FieldFilters.known("contact.email")).isFalse();
        assertThat(FieldFilters.valueOf("phone", PREVIEW)).isEmpty();
    }
}
