package dev.mayfly.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.agent.AgentSpec;
import dev.mayfly.api.ContextSegment;
import dev.mayfly.json.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChannelTest {

    private static CompletableFuture<ChannelMessage> receiveLater(Channel channel) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return channel.receive();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void every_message_reads_back_as_it_was_written_and_an_unknown_type_reads_as_unknown() throws Exception {
        MemorySample sample = new MemorySample(10, 20, 128, 7.8, 5, 60, 1, 2);
        List<ChannelMessage> messages = List.of(
                new ChannelMessage.Hello("worker-1", "s3cret"),
                new ChannelMessage.Task("task-1", "Implement it", Map.of("k", "v"), AgentSpec.command(List.of("sh", "-c", "true")),
                        Path.of("/work"), Path.of("/work/.mayfly/runs/task-1"), 1000, 80, 70, "{\"step\":2}", true,
                        Map.of("MAYFLY_TASK_ID", "task-1")),
                new ChannelMessage.Cancel("timed_out"),
                new ChannelMessage.Rotate(true),
                new ChannelMessage.MemoryReport(sample),
                new ChannelMessage.MemoryWarning(sample, 80),
                new ChannelMessage.Progress("half", 0.5),
                new ChannelMessage.Checkpoint("{}"),
                new ChannelMessage.Event("tool_call", Map.of("tool", "run_command", "ok", true)),
                new ChannelMessage.ContextPiece(ContextSegment.turn(3, ContextSegment.RECENT, "user", "hello", 2)),
                new ChannelMessage.Result(new AgentOutcome(true, "42", null, null, false, 0, 15), 12.5, 90),
                new ChannelMessage.Rotated(75.0),
                new ChannelMessage.Rotated(null),
                new ChannelMessage.Exiting());
        for (ChannelMessage message : messages) {
            Map<String, Object> wire = new LinkedHashMap<>(message.fields());
            wire.put(ChannelMessage.TYPE, message.type());

            assertThat(ChannelMessage.read(Json.readObject(Json.write(wire)))).as(message.type()).isEqualTo(message);
        }
        assertThat(ChannelMessage.read(Map.of("type", "from_the_future"))).isEqualTo(new ChannelMessage.Unknown("from_the_future"));
    }

    @Test
    void messages_arrive_whole_even_from_an_interrupted_sender_and_end_of_stream_follows_a_close() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Channel> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Channel(server.accept());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Channel client = Channel.connect(server.getLocalPort()); Channel peer = accepted.get()) {
                Thread.currentThread().interrupt();
                client.send(new ChannelMessage.Progress("while interrupted", 0.5));
                assertThat(Thread.interrupted()).as("the interrupt flag is left as it was").isTrue();
                assertThat(peer.receive()).isEqualTo(new ChannelMessage.Progress("while interrupted", 0.5));

                // A message larger than the socket's buffers needs the reader working at the same time.
                CompletableFuture<ChannelMessage> big = receiveLater(peer);
                client.send(new ChannelMessage.Checkpoint("x".repeat(1_000_000)));
                assertThat(((ChannelMessage.Checkpoint) big.get()).state()).hasSize(1_000_000);

                client.close();
                assertThat(peer.receive()).as("end of stream once the other side is gone").isNull();
            }
        }
    }
}
