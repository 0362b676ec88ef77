package dev.mayfly.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelTest {

    @TempDir
    Path folder;

    @Test
    void a_sender_that_is_interrupted_neither_loses_its_message_nor_closes_the_channel() throws Exception {
        Path socket = folder.resolve("c.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Channel> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Channel(server.accept());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Channel client = Channel.connect(socket); Channel peer = accepted.get()) {
                Thread.currentThread().interrupt();
                client.send("progress", Map.of("message", "while interrupted"));
                assertThat(Thread.interrupted()).as("the interrupt flag is left as it was").isTrue();
                assertThat(peer.receive()).containsEntry("type", "progress").containsEntry("message", "while interrupted");
                // A message larger than the socket's buffer needs the reader working at the same time.
                CompletableFuture<Map<String, Object>> big = CompletableFuture.supplyAsync(() -> {
                    try {
                        return peer.receive();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                client.send("result", Map.of("text", "x".repeat(1_000_000)));
                assertThat(big.get().get("text").toString()).hasSize(1_000_000);
                client.close();
                assertThat(peer.receive()).as("end of stream once the other side is gone").isNull();
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }
}
