package io.leadmkt.streams.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.SuppressionEntry;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuppressionImportTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final SuppressionImport.Terms TERMS =
            new SuppressionImport.Terms("DNC", "import", NOW + 1_000, NOW);
    private static final String PHONE_HASH = IdentityHash.ofPhone("+15125550123");
    private static final String EMAIL_HASH = IdentityHash.ofEmail("ada@example.com");

    private static SuppressionImport.Result read(String csv) throws IOException {
        return SuppressionImport.read(new StringReader(csv), TERMS, rows -> { });
    }

    private static List<String> hashes(SuppressionImport.Result result) {
        return result.entries().stream().map(SuppressionEntry::getHash).toList();
    }

    @Test
    void shouldRecogniseEachCellWhenTheFileHasNoHeader() throws IOException {
        SuppressionImport.Result result = read("""
                (512) 555-0123
                Ada@Example.com
                512.555.0124, someone@example.org
                %s
                """.formatted(IdentityHash.ofPhone("+15125550125").toUpperCase()));

        assertThat(result.errors()).isEmpty();
        assertThat(result.rows()).isEqualTo(4);
        assertThat(hashes(result)).containsExactly(PHONE_HASH, EMAIL_HASH, IdentityHash.ofPhone("+15125550124"),
                IdentityHash.ofEmail("someone@example.org"), IdentityHash.ofPhone("+15125550125"));
        assertThat(result.entries()).extracting(SuppressionEntry::getKind)
                .containsExactly("phone", "email", "phone", "email", "hash");
        assertThat(result.entries()).allSatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("DNC");
            assertThat(e.getSource()).isEqualTo("import");
            assertThat(e.getExpiresAt()).isEqualTo(NOW + 1_000);
            assertThat(e.getAddedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void shouldReadTheFederalRegistryFlatFileWhenRowsAreAreaCodeAndNumber() throws IOException {
        SuppressionImport.Result result = read("512,5550123\n512,5550124\n");

        assertThat(result.errors()).isEmpty();
        assertThat(hashes(result)).containsExactly(PHONE_HASH, IdentityHash.ofPhone("+15125550124"));
    }

    @Test
    void shouldReadCellsByColumnAndIgnoreOtherColumnsWhenTheFileHasAHeader() throws IOException {
        SuppressionImport.Result result = read("""
                Name,Phone,EMAIL,email_hash
                "Lovelace, Ada",512-555-0123,,
                Someone,,ada@example.com,%s
                """.formatted(IdentityHash.ofEmail("other@example.com")));

        assertThat(result.errors()).isEmpty();
        assertThat(result.rows()).as("the header is not a row").isEqualTo(2);
        assertThat(hashes(result)).containsExactly(PHONE_HASH, EMAIL_HASH, IdentityHash.ofEmail("other@example.com"));
        assertThat(result.entries()).extracting(SuppressionEntry::getKind).containsExactly("phone", "email", "email");
    }

    @Test
    void shouldNameEveryBadRowByItsLineWhenSomeRowsAreBad() throws IOException {
        SuppressionImport.Result result = read("""
                # litigator list, November
                512-555-0123

                555-0100
                not-an-email@
                ada@example.com
                phone_hash_is_not_this
                """);

        assertThat(result.errors()).containsExactly("line 4: column 1: not a US phone number",
                "line 5: column 1: not an email address", "line 7: column 1: not a US phone number");
        assertThat(result.badRows()).isEqualTo(3);
        assertThat(result.rows()).isEqualTo(5);
        assertThat(hashes(result)).as("the good rows, for a partial import").containsExactly(PHONE_HASH, EMAIL_HASH);
        assertThat(String.join("\n", result.errors())).doesNotContain("555-0100", "not-an-email");
    }

    @Test
    void shouldNameTheColumnWhenAHeaderColumnHoldsABadValue() throws IOException {
        SuppressionImport.Result result = read("phone,hash,name\n512-555-0123,abc,Ada\n,,Bob\n");

        assertThat(result.errors()).containsExactly("line 2: hash: not a hash (64 hex digits)",
                "line 3: no phone, email or hash");
    }

    @Test
    void shouldKeepOneEntryPerConsumerWhenTheFileListsThemTwice() throws IOException {
        SuppressionImport.Result result = read("(512) 555-0123\n+1 512 555 0123\n" + PHONE_HASH + "\n");

        assertThat(hashes(result)).containsExactly(PHONE_HASH);
        assertThat(result.rows()).isEqualTo(3);
    }

    @Test
    void shouldReportProgressWhenTheFileIsLong() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 25_000; i++) {
            csv.append(String.format("(512) 5%02d-%04d%n", i / 10_000, i % 10_000));
        }
        List<Long> progress = new ArrayList<>();

        SuppressionImport.Result result = SuppressionImport.read(new StringReader(csv.toString()), TERMS, progress::add);

        assertThat(progress).containsExactly(10_000L, 20_000L);
        assertThat(result.entries()).hasSize(25_000);
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void shouldReportTheLineWhenTheCsvBreaksOffAtAnUnclosedQuote() throws IOException {
        SuppressionImport.Result result = read("512-555-0123\n\"512-555-0124\n512-555-0125\n");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().asString().startsWith("line ").contains("not CSV past this point");
    }
}
