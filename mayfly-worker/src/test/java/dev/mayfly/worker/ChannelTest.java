package dev.mayfly.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChannelTest {

    private static CompletableFuture<Map<String, Object>> receiveLater(Channel channel) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return channel.receive();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
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
                client.send("progress", Map.of("message", "while interrupted"));
                assertThat(Thread.interrupted()).as("the interrupt flag is left as it was").isTrue();
                assertThat(peer.receive()).containsEntry("type", "progress").containsEntry("message", "while interrupted");

                // A message larger than the socket's buffers needs the reader working at the same time.
                CompletableFuture<Map<String, Object>> big = receiveLater(peer);
                client.send("result", Map.of("text", "x".repeat(1_000_000)));
                assertThat(big.get().get("text").toString()).hasSize(1_000_000);

                client.close();
                assertThat(peer.receive()).as("end of stream once the other side is gone").isNull();
            }
        }
    }
}
