package com.trueftp.emulators;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.scaladsl.Http;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ElasticMQ, the SQS emulator, in this JVM: its REST server on 127.0.0.1 and a free port. Queues and messages
 * live in memory only: they do not survive a restart. Queue ARNs name region {@value #REGION} and account
 * {@value #ACCOUNT_ID} (ElasticMQ's default region is "elasticmq"), and queue URLs name the endpoint itself.
 */
public final class ElasticMq implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    private static final String HOST = "127.0.0.1";
    private static final int ATTEMPTS = 5;

    private final ActorSystem system;
    private final Http.ServerBinding binding;
    private final int port;

    private ElasticMq(ActorSystem system, Http.ServerBinding binding, int port) {
        this.system = system;
        this.binding = binding;
        this.port = port;
    }

    /**
     * The port is chosen here, not left to the server (port 0): with port 0 ElasticMQ puts the bound port into
     * queue URLs from a callback that may run after start returns, so the first CreateQueue could answer a URL
     * with port 0. Another process may take the chosen port before the bind: then it starts again on another.
     */
    public static ElasticMq start() throws IOException {
        IOException failure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort();
            ActorSystem system = ActorSystem.create("elasticmq", config(), ElasticMq.class.getClassLoader());
            try {
                SQSRestServer server = SQSRestServerBuilder.withActorSystem(system)
                        .withInterface(HOST)
                        .withPort(port)
                        .withServerAddress(new NodeAddress("http", HOST, port, ""))
                        .withAWSRegion(REGION)
                        .withAWSAccountId(ACCOUNT_ID)
                        .start();
                return new ElasticMq(system, server.waitUntilStarted(), port);
            } catch (Exception e) { // Scala throws checked exceptions unchecked (a bind failure, a timeout)
                terminate(system);
                if (failure == null) {
                    failure = new IOException("ElasticMQ did not start on " + HOST);
                }
                failure.addSuppressed(e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (!portTaken(e)) {
                    throw failure;
                }
            }
        }
        throw failure;
    }

    /** Pekko reports a taken port as its own exception, caused by a {@link BindException}. */
    private static boolean portTaken(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * ElasticMQ's own settings, quiet (it sets Pekko to log at DEBUG: through slf4j-nop, to nothing, but at a cost),
     * on daemon threads (an ElasticMq left open does not keep the JVM alive).
     */
    private static Config config() {
        return ConfigFactory.parseString("""
                pekko.loglevel = "OFF"
                pekko.stdout-loglevel = "OFF"
                pekko.log-dead-letters = off
                pekko.daemonic = on
                """).withFallback(ConfigFactory.load(ElasticMq.class.getClassLoader()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        }
    }

    public String endpoint() {
        return "http://" + HOST + ":" + port;
    }

    /** Stops at once: a long poll still waiting is cut off. */
    @Override
    public void close() {
        try {
            await(FutureConverters.asJava(binding.terminate(FiniteDuration.create(1, TimeUnit.SECONDS)))
                    .toCompletableFuture());
        } finally {
            terminate(system);
        }
    }

    private static void terminate(ActorSystem system) {
        system.terminate();
        await(system.getWhenTerminated().toCompletableFuture());
    }

    private static void await(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("ElasticMQ did not stop", e);
        }
    }
}
