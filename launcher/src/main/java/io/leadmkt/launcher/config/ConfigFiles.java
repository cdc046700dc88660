package io.leadmkt.launcher.config;

import io.leadmkt.streams.admin.ConfigBatch;
import io.leadmkt.streams.admin.ConfigDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Buyer and campaign files (YAML or JSON) read and checked together, with the connector's integration check. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    public static ConfigDocuments documents() {
        return new ConfigDocuments(ConnectorIntegrationCheck.INSTANCE);
    }

    /** Every record of every file, and every error of every file (prefixed with the file name). */
    public static ConfigBatch read(List<Path> files) {
        ConfigDocuments documents = documents();
        ConfigBatch all = ConfigBatch.empty();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                all = all.plus(new ConfigBatch(List.of(), List.of(), List.of(file + ": cannot read: " + e.getMessage())));
                continue;
            }
            all = all.plus(documents.read(file.getFileName().toString(), text));
        }
        return all;
    }
}
