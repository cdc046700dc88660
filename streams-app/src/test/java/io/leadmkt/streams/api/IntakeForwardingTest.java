package io.leadmkt.streams.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.access.TestKeys;
import io.leadmkt.streams.intake.TestLeads;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two doors on loopback, each with its own intake: a lead whose partition the other instance reads is
 * judged by that instance's door, whose answer the seller gets; when that door cannot be asked, the door
 * the seller called judges the lead itself, except while it refuses connections (its process gone).
 */
class IntakeForwardingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<LeadApi> doors = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong(1_000_000);

    /** A door whose intake records what it is given and answers with {@code answer}. */
    private record Door(LeadApi api, List<Lead> submitted, AtomicReference<HostInfo> reader) {
        HostInfo host() {
            return new HostInfo("127.0.0.1", api.port());
        }
    }

    @AfterEach
    void stop() {
        doors.forEach(LeadApi::close);
        executor.shutdownNow();
    }

    private Door door(Function<Lead, CompletableFuture<Void>> answer) {
        return door(answer, Duration.ofSeconds(5));
    }

    /** A door that waits up to {@code timeout} for the other door's answer. */
    private Door door(Function<Lead, CompletableFuture<Void>> answer, Duration timeout) {
        List<Lead> submitted = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<HostInfo> reader = new AtomicReference<>();
        AtomicReference<HostInfo> self = new AtomicReference<>();
        LeadApi api = new LeadApi(0, TestKeys.access(), lead -> {
            submitted.add(lead);
            return answer.apply(lead);
        }, id -> Optional.empty(), Map::of)
                .withForwarding(new IntakeForwarding(lead -> Optional.ofNullable(reader.get()), self::get, "http",
                        timeout, failures::incrementAndGet, executor, clock::get))
                .start();
        self.set(new HostInfo("127.0.0.1", api.port()));
        doors.add(api);
        return new Door(api, submitted, reader);
    }

    private static CompletableFuture<Void> taken(Lead lead) {
        return CompletableFuture.completedFuture(null);
    }

    private HttpResponse<String> post(Door door, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + door.api().port() + "/v1/leads"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestKeys.SELLER.key())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerWithTheReadersRefusalWhenAnotherInstanceReadsTheLeadsPartition() throws Exception {
        Door behind = door(lead -> CompletableFuture.failedFuture(new IntakeOverloadedException(4_200, 5, 50, 50)));
        Door called = door(IntakeForwardingTest::taken);
        called.reader().set(behind.host());

        HttpResponse<String> response = post(called, TestLeads.json());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("overloaded");
        assertThat(body.get("leadsInFlight").asLong()).as("the reader's own figures").isEqualTo(50);
        assertThat(called.submitted()).as("not written by the door the seller called").isEmpty();
        assertThat(behind.submitted()).extracting(Lead::getLeadId).containsExactly("lead-1");
    }

    @Test
    void shouldAnswerWithTheReadersAcceptanceWhenItTakesTheLead() throws Exception {
        Door reader = door(IntakeForwardingTest::taken);
        Door called = door(IntakeForwardingTest::taken);
        called.reader().set(reader.host());

        HttpResponse<String> response = post(called, TestLeads.json());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("statusUrl").asText()).isEqualTo("/v1/leads/lead-1");
        assertThat(reader.submitted()).as("the seller's key was checked again there").hasSize(1);
        assertThat(called.submitted()).isEmpty();
        assertThat(failures).hasValue(0);
    }

    @Test
    void shouldRefuseTheLeadNotReadyWhileTheReadersDoorRefusesConnections() throws Exception {
        Door called = door(IntakeForwardingTest::taken);
        called.reader().set(new HostInfo("127.0.0.1", closedPort()));

        HttpResponse<String> first = post(called, TestLeads.json());
        clock.addAndGet(IntakeForwarding.READER_GONE_FOR.toMillis() - 1);
        HttpResponse<String> second = post(called, TestLeads.json().replace("lead-1", "lead-2"));

        for (HttpResponse<String> response : List.of(first, second)) {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("error").asText()).isEqualTo("not_ready");
            assertThat(body.get("message").asText()).contains("reads this lead's partition (127.0.0.1:");
        }
        assertThat(called.submitted()).as("a lead written now would wait unread until the group moves it").isEmpty();
        assertThat(failures).as("asked again each time, to see the reader back").hasValue(2);

        called.reader().set(null); // the group gave the partition to this instance
        assertThat(post(called, TestLeads.json()).statusCode()).isEqualTo(202);
        assertThat(called.submitted()).extracting(Lead::getLeadId).containsExactly("lead-1");
    }

    @Test
    void shouldJudgeTheLeadItselfWhenTheReadersDoorStillRefusesAfterTheGroupWouldHaveMovedIt() throws Exception {
        Door called = door(IntakeForwardingTest::taken);
        called.reader().set(new HostInfo("127.0.0.1", closedPort()));
        assertThat(post(called, TestLeads.json()).statusCode()).isEqualTo(503);

        // Still named the reader after twice the session timeout: alive in the group, unreachable from here.
        clock.addAndGet(IntakeForwarding.READER_GONE_FOR.toMillis());

        assertTwoLeadsJudgedHereAskingTheReaderOnce(called, 2);
    }

    @Test
    void shouldJudgeTheLeadItselfWhenTheReaderDoesNotAnswerInTime() throws Exception {
        Door called = door(IntakeForwardingTest::taken, Duration.ofMillis(300));
        // Listening, never answering: the connection is made (the kernel's backlog), the request times out.
        try (ServerSocket silent = new ServerSocket(0)) {
            called.reader().set(new HostInfo("127.0.0.1", silent.getLocalPort()));

            assertTwoLeadsJudgedHereAskingTheReaderOnce(called, 1);
        }
    }

    /** Posts lead-1 and lead-2: both taken here, the reader asked for the first only ({@code failures} in all). */
    private void assertTwoLeadsJudgedHereAskingTheReaderOnce(Door called, int failuresInAll) throws Exception {
        HttpResponse<String> first = post(called, TestLeads.json());
        HttpResponse<String> second = post(called, TestLeads.json().replace("lead-1", "lead-2"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(called.submitted()).extracting(Lead::getLeadId).containsExactly("lead-1", "lead-2");
        assertThat(failures).as("not asked again for a while after it could not be").hasValue(failuresInAll);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldNotSendOnAgainWhenTheDoorsDisagreeOnWhoReadsThePartition() throws Exception {
        // Mid-rebalance each instance can believe the other reads the partition: the second door judges.
        Door first = door(IntakeForwardingTest::taken);
        Door second = door(IntakeForwardingTest::taken);
        first.reader().set(second.host());
        second.reader().set(first.host());

        HttpResponse<String> response = post(first, TestLeads.json());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(second.submitted()).hasSize(1);
        assertThat(first.submitted()).isEmpty();
    }

    @Test
    void shouldJudgeABadLeadItselfWhenAnotherInstanceReadsItsPartition() throws Exception {
        Door reader = door(IntakeForwardingTest::taken);
        Door called = door(IntakeForwardingTest::taken);
        called.reader().set(reader.host());

        HttpResponse<String> response = post(called, TestLeads.json().replace("\"(512) 555-0147\"", "\"12\""));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(reader.submitted()).isEmpty();
        assertThat(called.submitted()).isEmpty();
    }

    @Test
    void shouldFindTheInstanceWhoseActiveTasksReadThePartitionWhenOthersHoldStandbys() {
        TopicPartition inbound3 = new TopicPartition("leads.inbound", 3);
        HostInfo a = new HostInfo("a", 1);
        HostInfo b = new HostInfo("b", 2);
        List<StreamsMetadata> metadata = List.of(
                new StreamsMetadataImpl(a, Set.of(), Set.of(new TopicPartition("leads.inbound", 1)), Set.of(),
                        Set.of(inbound3)),
                new StreamsMetadataImpl(b, Set.of(), Set.of(inbound3, new TopicPartition("bids", 3)), Set.of(), Set.of()));

        assertThat(IntakeForwarding.readerOf(metadata, inbound3)).hasValue(b);
        assertThat(IntakeForwarding.readerOf(metadata, new TopicPartition("leads.inbound", 0))).isEmpty();
    }
}
