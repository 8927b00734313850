package dev.pedigree.neo4j;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;

/**
 * A private Neo4j 5 (community, embedded) with a Bolt connector on loopback, for development
 * and CI only. Started by scripts/services.sh, which waits for the READY line below.
 *
 * <p>Usage: {@code Neo4jDevServer HOME_DIR [PORT]} (port defaults to 57687).
 *
 * <p>Authentication is disabled: the connector listens on 127.0.0.1 only, on a machine used by
 * one developer or one CI run, so any driver connects with no credentials (neo4j-driver:
 * {@code neo4j.driver(url)} or {@code auth.basic('neo4j', 'anything')}, both are accepted).
 */
public final class Neo4jDevServer {
    private Neo4jDevServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Neo4jDevServer HOME_DIR [PORT]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = args.length == 2 ? Integer.parseInt(args[1]) : 57687;
        String host = "127.0.0.1";

        long started = System.nanoTime();
        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    // Small footprint by default: a dev/CI graph is tiny, and the machine is shared
                    // with Postgres, Redis, Node and the test runners. A benchmark graph of a
                    // million nodes needs its store files in the page cache, or every walk pays
                    // for page faults: -Dpedigree.neo4j.pagecache (services.sh: PEDIGREE_NEO4J_PAGECACHE).
                    .setConfig(GraphDatabaseSettings.pagecache_memory,
                            ByteUnit.parse(System.getProperty("pedigree.neo4j.pagecache", "128m")))
                    .setConfig(GraphDatabaseSettings.tx_state_max_off_heap_memory, ByteUnit.mebiBytes(128))
                    // Netty's default graceful shutdown waits a 5 s quiet period per event loop
                    // group, which made every `services.sh down` take ~10 s; nothing is in flight
                    // when we stop a dev server. (Internal settings: re-check on a Neo4j upgrade.)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                    .build();
        } catch (Exception e) {
            System.err.println("NEO4J FAILED to start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J STOPPING");
            try {
                dbms.shutdown(); // flushes and checkpoints, so the next start needs no recovery
            } finally {
                System.out.println("NEO4J STOPPED");
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            // The default database must answer a query, and the Bolt port must accept a
            // connection, before we claim to be ready.
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            try (Transaction tx = db.beginTx()) {
                tx.execute("RETURN 1").close();
                tx.commit();
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
            }
        } catch (Exception e) {
            System.err.println("NEO4J FAILED readiness check: " + e);
            e.printStackTrace();
            System.exit(1); // runs the shutdown hook
        }

        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("NEO4J READY bolt://%s:%d (home %s, %d ms)%n", host, port, home, ms);
        System.out.flush();
        stopped.await();
    }
}
