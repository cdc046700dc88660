package io.leadmkt.launcher.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.SimulatedBuyer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BuyerSandboxTest {

    private static final Path SAMPLE_LEAD = Path.of("..", "deploy", "config", "sample-lead.json");
    /** What the sample lead says about the consumer: none of it may be in a ping. */
    private static final String[] PII = {"Ada", "Lovelace", "ada@example.com", "555-0147", "5125550147", "12 Main St",
            "203.0.113.9"};

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run buyerTest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BuyerCommand())
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path buyers(String pingUrl, String postUrl) throws Exception {
        return Files.writeString(dir.resolve("buyers.yaml"), """
                buyers:
                  - buyerId: sandbox-json
                    pingUrl: %s
                    postUrl: %s
                  - buyerId: sandbox-px
                    pingUrl: %s
                    postUrl: %s
                    integration:
                      auth: {type: bearer, token: t0k}
                      ping:
                        format: form
                        fields:
                          - {from: leadId, to: TransactionId}
                          - {from: state, to: State}
                          - {from: attributes.homeowner, to: Homeowner, map: {"true": "Y"}}
                        response: {success: {path: $.Success, equals: "true"}, price: {path: $.Payout}, token: {path: $.Token}}
                      post:
                        format: json
                        fields:
                          - {from: token, to: Token}
                          - {from: contact.email, to: Email}
                          - {from: contact.phone, to: Phone}
                        response: {success: {path: $.Success, equals: "true"}}
                """.formatted(pingUrl, postUrl, pingUrl, postUrl));
    }

    @Test
    void shouldRenderAPingWithoutPiiAndAPostWithItWhenDryRun() throws Exception {
        Path buyers = buyers("http://127.0.0.1:9/ping", "http://127.0.0.1:9/post");

        Run run = buyerTest("test", "sandbox-px", "--lead", SAMPLE_LEAD.toString(), "--config-file", buyers.toString(),
                "--dry-run", "--floor", "5.00");

        assertThat(run.exit()).as(run.err()).isZero();
        String ping = run.out().substring(run.out().indexOf("=== ping request"), run.out().indexOf("=== post request"));
        String post = run.out().substring(run.out().indexOf("=== post request"));
        assertThat(ping).contains("POST http://127.0.0.1:9/ping", "Authorization: Bearer t0k",
                "Content-Type: application/x-www-form-urlencoded", "TransactionId=sandbox-lead-1", "State=TX",
                "Homeowner=Y");
        assertThat(ping).doesNotContain(PII);
        assertThat(post).contains("POST http://127.0.0.1:9/post", "\"Email\":\"ada@example.com\"",
                "\"Token\":\"" + BuyerSandbox.DRY_RUN_TOKEN + "\"", "+1512555014");
        assertThat(run.out()).doesNotContain("=== bid ===");
    }

    @Test
    void shouldPrintTheParsedBidAndPostResultWhenSentToALiveBuyer() throws Exception {
        try (SimulatedBuyer buyer = SimulatedBuyer.start(BuyerSpec.of("sandbox-json", BuyerBehaviour.alwaysBids(1_250)))) {
            Path buyers = buyers(buyer.pingUrl(), buyer.postUrl());

            Run run = buyerTest("test", "sandbox-json", "--lead", SAMPLE_LEAD.toString(),
                    "--config-file", buyers.toString());

            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("=== ping answer ===", "HTTP 200", "status=" + BidStatus.BID + " price=12.50 token=",
                    "=== post result ===", "status=" + PostStatus.ACCEPTED);
            assertThat(buyer.rawPings()).singleElement().asString().doesNotContain(PII);
            assertThat(buyer.posts()).hasSize(1);
        }
    }

    @Test
    void shouldRefuseWhenTheBuyerIsUnknown() throws Exception {
        Run run = buyerTest("test", "nobody", "--lead", SAMPLE_LEAD.toString(),
                "--config-file", buyers("http://a/p", "http://a/q").toString(), "--dry-run");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no buyer nobody");
    }

    @Test
    void shouldNameTheFieldWhenTheSampleLeadIsInvalid() throws Exception {
        Path lead = Files.writeString(dir.resolve("lead.json"), new String(Files.readAllBytes(SAMPLE_LEAD),
                StandardCharsets.UTF_8).replace("\"(512) 555-0147\"", "\"12\""));

        Run run = buyerTest("test", "sandbox-json", "--lead", lead.toString(),
                "--config-file", buyers("http://a/p", "http://a/q").toString(), "--dry-run");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("sample lead is invalid", "contact.phone");
    }
}
