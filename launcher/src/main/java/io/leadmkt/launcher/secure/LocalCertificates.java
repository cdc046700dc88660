package io.leadmkt.launcher.secure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority for a broker on loopback: a CA, a truststore holding it, and one
 * PKCS12 keystore per common name, each certificate signed by the CA for {@code 127.0.0.1} and
 * {@code localhost} (so clients keep hostname verification on). Made with the JDK's own
 * {@code keytool}, in {@code dir}, with one random password for every store; valid for two days.
 * For demos and tests only: the CA's key sits next to the certificates it signed.
 */
public final class LocalCertificates {

    private static final String CA = "leadmkt-local-ca";
    private static final String TYPE = "PKCS12";

    private final Path dir;
    private final String password = UUID.randomUUID().toString();
    private final Map<String, Path> keystores = new ConcurrentHashMap<>();

    private LocalCertificates(Path dir) {
        this.dir = dir;
    }

    /** Creates the CA and the truststore in {@code dir}. */
    public static LocalCertificates create(Path dir) {
        LocalCertificates certificates = new LocalCertificates(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        certificates.keytool("-genkeypair", "-alias", CA, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + CA, "-ext", "bc:c", "-validity", "2", "-keystore", certificates.ca().toString());
        certificates.keytool("-exportcert", "-rfc", "-alias", CA, "-keystore", certificates.ca().toString(),
                "-file", certificates.caPem().toString());
        certificates.keytool("-importcert", "-noprompt", "-alias", CA, "-file", certificates.caPem().toString(),
                "-keystore", certificates.truststore().toString());
        return certificates;
    }

    /** The truststore every party uses: the CA only. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The password of every store here. */
    public String password() {
        return password;
    }

    public String storeType() {
        return TYPE;
    }

    /**
     * The keystore of {@code commonName} (a certificate with subject {@code CN=commonName}, signed by the
     * CA, and the CA itself), made on first use.
     */
    public Path keystore(String commonName) {
        return keystores.computeIfAbsent(commonName, this::issue);
    }

    private Path issue(String commonName) {
        String file = commonName.replaceAll("[^A-Za-z0-9._-]", "_");
        Path keystore = dir.resolve(file + ".p12");
        Path request = dir.resolve(file + ".csr");
        Path signed = dir.resolve(file + ".pem");
        keytool("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + commonName, "-validity", "2", "-keystore", keystore.toString());
        keytool("-certreq", "-alias", "key", "-keystore", keystore.toString(), "-file", request.toString());
        keytool("-gencert", "-rfc", "-alias", CA, "-keystore", ca().toString(), "-infile", request.toString(),
                "-outfile", signed.toString(), "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost");
        // The reply is accepted once the CA that signed it is in the keystore.
        keytool("-importcert", "-noprompt", "-alias", CA, "-file", caPem().toString(), "-keystore", keystore.toString());
        keytool("-importcert", "-alias", "key", "-file", signed.toString(), "-keystore", keystore.toString());
        return keystore;
    }

    private Path ca() {
        return dir.resolve("ca.p12");
    }

    private Path caPem() {
        return dir.resolve("ca.pem");
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        // PKCS12: the key password is the store password.
        command.addAll(List.of("-storetype", TYPE, "-storepass", password));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }
}
