package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.client.ServerFile;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.process.ProcFs;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.task.TaskState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real headless browser: Debian's Chromium driven by Selenium through
 * chromium-driver (.ci/run installs both), against a real server process running Python programs.
 * Screenshots at a laptop's size go to mayfly-cli/target/dashboard-screenshots, never into the repo.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final Pattern LOGIN = Pattern.compile("Dashboard: (http://\\S+/login\\?code=\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prints a line, holds some memory, waits for the file 'go' (or for ever, with no file to wait for). */
    private static final String PYTHON_GATED = "import os, sys, time\n"
            + "held = bytearray(64 * 1024 * 1024)\n"
            + "print('working on it', flush=True)\n"
            + "while not os.path.exists(sys.argv[1]):\n"
            + "    time.sleep(0.05)\n"
            + "print('done')\n";
    /** Starts a second Python process, writes both pids, holds memory and waits. */
    private static final String PYTHON_TREE = "import os, subprocess, time\n"
            + "child = subprocess.Popen(['python3', '-c', 'import time; time.sleep(600)'])\n"
            + "held = bytearray(96 * 1024 * 1024)\n"
            + "open('pids.txt', 'w').write(f'{os.getpid()} {child.pid}')\n"
            + "print('tree started', flush=True)\n"
            + "time.sleep(600)\n";

    @TempDir
    Path workDir;

    private MayflyProcess server;
    private ServerFile file;
    private String loginLink;
    private WebDriver browser;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        assertThat(CHROMIUM).as("Chromium, from the distribution's packages: apt-get install chromium chromium-driver "
                + "(.ci/run installs them)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromium-driver: apt-get install chromium-driver").isExecutable();
        Files.writeString(workDir.resolve("gated.py"), PYTHON_GATED);
        Files.writeString(workDir.resolve("tree.py"), PYTHON_TREE);
        server = MayflyProcess.start(workDir, Map.of("MAYFLY_GRACE_PERIOD", "1s", "MAYFLY_HEAP_MB", "64",
                "MAYFLY_MEMORY_REPORT_INTERVAL", "500ms", "USE_WORKERS", "true"), "serve", "--port", "0");
        long pid = server.process().pid();
        file = await().atMost(Duration.ofSeconds(60)).until(() -> ServerFile.read(workDir.resolve(".mayfly")).orElse(null),
                found -> found != null && found.pid() == pid);
        loginLink = await().atMost(Duration.ofSeconds(30)).until(() -> {
            Matcher matcher = LOGIN.matcher(server.stdoutSoFar());
            return matcher.find() ? matcher.group(1) : null;
        }, link -> link != null);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900");
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (browser != null) {
                // The page's scripts threw nothing (a 403 of the login page is the browser's note, not an error).
                assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).filteredOn(entry ->
                        entry.getLevel().intValue() >= Level.SEVERE.intValue()
                        && !entry.getMessage().contains("Failed to load resource")).isEmpty();
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            server.close();
        }
    }

    private String submit(String script, String argument) throws Exception {
        Map<String, Object> body = Map.of("prompt", "Implement the " + script + " task", "agent",
                "command:python3 " + script + " " + argument, "workers", true, "complexity", "high",
                "workDir", workDir.toString());
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(file.url() + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + file.token())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) JSON.readValue(created.body(), Map.class).get("taskId");
    }

    private TaskState stored(String taskId) {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly").resolve("workers.db"))) {
            return store.findTask(taskId).orElseThrow().state();
        }
    }

    private WebElement awaitElement(By by) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> browser.findElements(by).stream().findFirst().orElse(null),
                element -> element != null);
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void the_list_updates_by_itself_when_a_task_finishes_and_shows_the_telemetry() throws Exception {
        browser.get(loginLink);
        String id = submit("gated.py", "go");
        WebElement row = awaitElement(By.cssSelector("tr[data-task='" + id + "'][data-state='running']"));
        // A mark on the page: if the page were loaded again, it would be gone.
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        assertThat(row.getText()).contains("worker", "command:", "Implement the gated.py task");
        await().atMost(Duration.ofSeconds(60)).until(() -> browser.findElements(By.cssSelector(
                "tr[data-task='" + id + "'] .memory-text")).stream().anyMatch(text -> text.getText().matches("\\d+ MB / .*")));
        assertThat(browser.findElement(By.id("telemetry")).getText()).contains("WORKER / IN-PROCESS", "SPAWN SUCCESS");
        screenshot("list-running");

        Files.writeString(workDir.resolve("go"), "");

        awaitElement(By.cssSelector("tr[data-task='" + id + "'][data-state='completed']"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("figure-spawn")).getText()
                .contains("100 %"));
        assertThat(browser.findElement(By.id("figure-ready")).getText()).as("the one task started its own worker")
                .contains("READY WORKERS", "0.0 % of 1 tasks found one ready");
        assertThat(browser.findElement(By.id("pool")).getText()).matches("pool \\d+ / \\d+ workers · \\d+ queued");
        screenshot("list-completed");
    }

    @Test
    void a_task_s_page_charts_its_memory_follows_its_log_and_cancel_stops_its_python_tree() throws Exception {
        browser.get(loginLink);
        String id = submit("tree.py", "");
        Path pidFile = workDir.resolve("pids.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) && Files.readString(pidFile).contains(" "));
        List<Long> pids = new ArrayList<>();
        for (String pid : Files.readString(pidFile).trim().split(" ")) {
            pids.add(Long.parseLong(pid));
        }
        browser.get(file.url() + "/#/tasks/" + id);

        await().atMost(Duration.ofSeconds(60)).until(() -> Integer.parseInt(browser.findElement(By.id("memory-chart"))
                .getAttribute("data-points")) >= 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("log")).getText().contains("tree started"));
        assertThat(browser.findElement(By.id("events")).getText()).contains("task_running", "memory_cap");
        assertThat(browser.findElements(By.cssSelector("#memory-chart canvas"))).isNotEmpty();
        screenshot("task-running");

        browser.findElement(By.id("cancel")).click();
        browser.switchTo().alert().accept();

        awaitElement(By.cssSelector(".task-head .badge.cancelled"));
        assertThat(stored(id)).isEqualTo(TaskState.CANCELLED);
        for (long pid : pids) {
            assertThat(ProcFs.system().alive(pid)).as("process %d of the task", pid).isFalse();
        }
        assertThat(browser.findElements(By.id("cancel"))).as("no Cancel on an ended task").isEmpty();
        assertThat(browser.findElement(By.className("task-head")).getText()).doesNotContain("null");
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("events")).getText()
                .contains("task_cancelled"));
        screenshot("task-cancelled");
    }

    @Test
    void a_run_s_steps_are_drawn_as_a_graph_with_their_states() throws Exception {
        String yaml = String.join("\n", "name: review", "complexity: high", "steps:",
                "  - id: prepare", "    agent: command:python3 gated.py prepared", "    prompt: prepare",
                "  - id: check", "    needs: [prepare]", "    agent: command:python3 -c print(1)", "    prompt: check",
                "  - id: report", "    needs: [prepare, check]", "    agent: command:python3 -c print(2)", "    prompt: report", "");
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(file.url() + "/api/v1/runs"))
                .header("Authorization", "Bearer " + file.token())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("yaml", yaml,
                        "prompt", "Review it", "workDir", workDir.toString())))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String runId = (String) JSON.readValue(started.body(), Map.class).get("runId");
        browser.get(loginLink);
        // Reached from the list: the run's row, running, links to its page.
        awaitElement(By.cssSelector("#runs tr[data-run='" + runId + "'][data-state='running']"));
        browser.findElement(By.cssSelector("#runs tr[data-run='" + runId + "'] a")).click();

        awaitElement(By.cssSelector("#run-graph g.step.running[data-step='prepare']"));
        assertThat(browser.findElements(By.cssSelector("#run-graph g.step"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#run-graph path.edge"))).hasSize(3);
        screenshot("run-running");
        Files.writeString(workDir.resolve("prepared"), "");

        awaitElement(By.cssSelector("#run-graph g.step.completed[data-step='report']"));
        assertThat(browser.findElements(By.cssSelector("#run-graph g.step.completed"))).hasSize(3);
        screenshot("run-completed");
        HttpResponse<String> batch = http.send(HttpRequest.newBuilder(URI.create(file.url() + "/api/v1/batches"))
                .header("Authorization", "Bearer " + file.token())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("lines", List.of(Map.of("prompt",
                        "Fix typo", "agent", "command:python3 -c print(3)")), "workDir", workDir.toString())))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(201);
        String batchId = (String) JSON.readValue(batch.body(), Map.class).get("batchId");
        browser.get(file.url() + "/#/");
        awaitElement(By.cssSelector("#runs tr[data-run='" + runId + "'][data-state='completed']"));
        awaitElement(By.cssSelector("#batches tr[data-batch='" + batchId + "'][data-state='completed']"));
        assertThat(browser.findElement(By.cssSelector("#runs tr[data-run='" + runId + "']")).getText()).contains("3 / 3");
        // The nodes sharing the store: this server alone, with its pool as it kept it at its last beat
        // (its workers then, of its four).
        WebElement node = awaitElement(By.cssSelector("#nodes tr[data-alive='true']"));
        assertThat(browser.findElements(By.cssSelector("#nodes tbody tr"))).hasSize(1);
        assertThat(node.getText()).contains(SupervisorLiveness.thisHost()).containsPattern("\\b\\d / 4\\b");
        screenshot("list-with-runs");
    }

    @Test
    void a_browser_gets_in_once_with_the_link_or_with_the_token_and_a_session_cannot_be_used_across_sites() throws Exception {
        browser.get(file.url() + "/");
        assertThat(browser.findElement(By.id("login")).getText()).isEqualTo("Log in");
        browser.get(loginLink);
        awaitElement(By.id("telemetry"));
        Cookie session = browser.manage().getCookieNamed("mayfly_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");

        // Away from the dashboard first: its page, finding its session gone, would go to the login page
        // itself, and that could come after the link's answer.
        browser.get("about:blank");
        browser.manage().deleteAllCookies();
        browser.get(loginLink);
        assertThat(awaitElement(By.className("refusal")).getText()).contains("used already");
        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.id("login")).click();
        assertThat(awaitElement(By.className("refusal")).getText()).contains("not this server's token");
        browser.findElement(By.id("token")).sendKeys(file.token());
        browser.findElement(By.id("login")).click();
        awaitElement(By.id("telemetry"));

        // The session reads; a change needs the header a page of another site cannot send.
        String cookie = "mayfly_session=" + browser.manage().getCookieNamed("mayfly_session").getValue();
        String id = submit("gated.py", "go");
        HttpRequest.Builder cancel = HttpRequest.newBuilder(URI.create(file.url() + "/api/v1/tasks/" + id + "/cancel"))
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody());
        assertThat(http.send(HttpRequest.newBuilder(URI.create(file.url() + "/api/v1/tasks/" + id)).header("Cookie", cookie)
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(cancel.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(http.send(cancel.header("X-Mayfly", "1").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(202);
    }
}
