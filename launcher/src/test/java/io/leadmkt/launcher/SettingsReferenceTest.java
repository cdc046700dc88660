package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** The documented properties file and the README's table are what the declarations in the code say. */
class SettingsReferenceTest {

    private static final Path DOCUMENTED = Path.of("..", "deploy", "config", "leadmkt.properties");
    private static final Path README = Path.of("..", "README.md");

    @Test
    void shouldDeclareEveryDocumentedKeyAndDocumentEveryDeclaredKeyWithItsDefaultWhenFileIsRead() throws Exception {
        Properties documented = new Properties();
        try (Reader reader = Files.newBufferedReader(DOCUMENTED)) {
            documented.load(reader);
        }
        Map<String, String> declared = new TreeMap<>();
        Settings.definition().configKeys().values().forEach(key -> declared.put(key.name, SettingsReference.value(key)));
        Map<String, String> inFile = new TreeMap<>();
        documented.stringPropertyNames().forEach(key -> inFile.put(key, documented.getProperty(key)));

        assertThat(inFile).as("keys of %s with their values; the declarations with their defaults", DOCUMENTED)
                .isEqualTo(declared);
    }

    @Test
    void shouldMatchTheDeclarationsWhenDocumentedFileIsCompared() throws Exception {
        assertThat(Files.readString(DOCUMENTED))
                .as("%s is generated: ./leadmkt settings --format properties > %s", DOCUMENTED, DOCUMENTED)
                .isEqualTo(SettingsReference.properties());
    }

    @Test
    void shouldListEveryDeclaredKeyWithItsDefaultWhenReadmeReferenceIsCompared() throws Exception {
        String readme = Files.readString(README);
        int begin = readme.indexOf(SettingsReference.README_BEGIN);
        int end = readme.indexOf(SettingsReference.README_END);
        assertThat(begin).as("the README's generated settings reference").isNotNegative();
        String table = readme.substring(begin, end + SettingsReference.README_END.length() + 1);

        for (ConfigDef.ConfigKey key : Settings.definition().configKeys().values()) {
            assertThat(table).contains("| `" + key.name + "` |");
        }
        assertThat(table).as("README's table is generated: ./leadmkt settings --format markdown")
                .isEqualTo(SettingsReference.markdown());
    }
}
