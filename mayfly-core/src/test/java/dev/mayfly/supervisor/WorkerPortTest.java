package dev.mayfly.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.worker.Channel;
import dev.mayfly.worker.ChannelMessage;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Other local processes connecting to a worker's port cannot hold up the worker. */
class WorkerPortTest {

    @Test
    void idle_and_wrong_connections_do_not_delay_the_worker_and_are_dropped() throws Exception {
        AtomicInteger strangers = new AtomicInteger();
        try (WorkerPort port = new WorkerPort(Duration.ofSeconds(60));
                Socket idle = new Socket(InetAddress.getLoopbackAddress(), port.port());
                Socket idleToo = new Socket(InetAddress.getLoopbackAddress(), port.port())) {
            CompletableFuture<Channel> accepted = CompletableFuture.supplyAsync(() -> port.accept(strangers::incrementAndGet));
            try (Socket wrong = new Socket(InetAddress.getLoopbackAddress(), port.port())) {
                OutputStream out = wrong.getOutputStream();
                out.write("{\"type\":\"hello\",\"secret\":\"guess\"}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                long start = System.nanoTime();
                Channel worker = Channel.connect(port.port());
                worker.send(new ChannelMessage.Hello("w-1", port.secret()));

                Channel channel = accepted.get(10, TimeUnit.SECONDS);
                assertThat(channel).isNotNull();
                // Two connections said nothing, one said the wrong secret: the worker was not kept waiting for them.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(WorkerPort.HELLO_DEADLINE_MS));
                channel.close();
                worker.close();
            }
        }
        // The wrong one is dropped at once, the idle ones when their time to say hello is over.
        await().atMost(Duration.ofSeconds(15)).until(() -> strangers.get() == 3);
    }
}
