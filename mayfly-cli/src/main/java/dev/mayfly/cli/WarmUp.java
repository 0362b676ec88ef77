package dev.mayfly.cli;

import dev.mayfly.store.Stores;
import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;

/**
 * What nearly every command meets on its way and costs the most the first time in a new JVM, begun
 * on a daemon thread of its own as the command starts, on the other core, while the main thread
 * reads the settings. The main thread later finds it done, or waits for the classes it initializes,
 * or at worst does the rest itself. Measured in whole {@code mayfly run} commands on the 2-core build machine
 * (docs/benchmarks.md, "The command line"):
 * <ul>
 *   <li>the SQLite driver's date format and version ({@link Stores#prepareDefault}), 23-35 ms;
 *   <li>the classpath's jars opened: the JDK opens each at the first lookup that reaches it, and a
 *       lookup of a service no jar provides reaches all of them. JDK 22 and later make one at a
 *       program's first start, for a logging back end (ProcessBuilder logs): 31 ms of a {@code run}
 *       on JDK 25.
 * </ul>
 */
final class WarmUp {

    private WarmUp() {}

    static void begin() {
        Thread warming = new Thread(WarmUp::run, "mayfly-warm-up");
        warming.setDaemon(true);
        warming.start();
    }

    private static void run() {
        Stores.prepareDefault();
        if (Runtime.version().feature() < 22) {
            return; // Nothing on a command's way looks through every jar: opening them cost a run 27 ms.
        }
        try {
            Enumeration<URL> providers = ClassLoader.getSystemClassLoader()
                    .getResources("META-INF/services/java.lang.System$LoggerFinder");
            while (providers.hasMoreElements()) {
                providers.nextElement();
            }
        } catch (IOException e) {
            // Only a head start: the lookup that needs it reports its own trouble.
        }
    }
}
