package io.leadmkt.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {
    /** Records that only ever appear inside another record: never written on their own. */
    private static final Set<String> NESTED_ONLY = Set.of("Contact", "Profile", "Consent", "Enrichment",
            "LeadPreview", "FieldError", "BuyerCap", "SourceAdjustment", "FieldChange", "BuyerTerms", "DayPart", "FieldFilter", "AuditAnswer",
            "SealedPii", "PiiFields", "BuyerContact", "CaptureForm", "ReturnPolicy", "WhatIfOffer");

    @Test
    void shouldListEveryTopLevelRecordWhenANewSchemaIsAdded() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "avro"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                parser.parse(Files.readString(file));
            }
        }
        Set<String> defined = parser.getTypes().values().stream()
                .filter(schema -> schema.getType() == Schema.Type.RECORD)
                .map(Schema::getName)
                .filter(name -> !NESTED_ONLY.contains(name))
                .collect(Collectors.toSet());
        List<String> catalogued = SchemaCatalog.all().stream().map(Schema::getName).toList();

        assertThat(defined).as("record types written on their own").isNotEmpty();
        assertThat(catalogued).containsExactlyInAnyOrderElementsOf(defined);
    }
}
