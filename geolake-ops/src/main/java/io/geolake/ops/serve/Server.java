package io.geolake.ops.serve;

import com.sun.net.httpserver.HttpServer;
import io.geolake.core.config.ConfigException;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.alert.SlaMonitor;
import io.geolake.pipeline.run.RunRecord;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.run.RunState;
import io.geolake.pipeline.run.RunStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;
import java.util.function.Function;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * geolake serve: runs dates by itself. A Quartz cron schedule queues the scheduled date, the
 * landing watcher queues dates whose delivery became complete, start-up queues the scheduled dates
 * missed while the server was down; the queue runs them one at a time, oldest first. Two more cron
 * schedules queue maintenance and model X's training, which run when no date is waiting. The SLA
 * is checked every minute.
 * /metrics serves Prometheus, /health the queue, and with an {@link HttpApi} / the web console and
 * /api/ the API.
 */
public final class Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);

  private final GeolakeConfig.Serve settings;
  private final String maintenanceSchedule;
  private final String trainingSchedule;
  private final RunStore store;
  private final DeliveryWatcher watcher;
  private final SlaMonitor sla;
  private final PrometheusMeterRegistry metrics;
  private final Clock clock;
  private final RunQueue queue;
  private Scheduler scheduler;
  private HttpServer http;
  private java.util.concurrent.ExecutorService httpThreads;
  private HttpApi api;

  /**
   * @param maintenance maintains the lake (geolake maintain), on the schedule maintenance.schedule
   * @param training trains model X (geolake train), on the schedule model.schedule
   */
  public Server(GeolakeConfig config, RunStore store, Function<LocalDate, RunReport> runner, Runnable maintenance, Runnable training,
      DeliveryWatcher watcher, SlaMonitor sla, PrometheusMeterRegistry metrics, Clock clock) {
    this.settings = config.serve();
    this.maintenanceSchedule = config.maintenance().schedule();
    this.trainingSchedule = config.model().schedule();
    this.store = store;
    this.watcher = watcher;
    this.sla = sla;
    this.metrics = metrics;
    this.clock = clock;
    checkSchedules(config);
    this.queue = new RunQueue(runner, Map.of(RunQueue.MAINTENANCE, maintenance, RunQueue.TRAINING, training));
  }

  /** Also serves the HTTP API and web console (on serve.port, beside /metrics). */
  public Server api(HttpApi api) {
    this.api = api;
    return this;
  }

  /** Fails naming the key unless serve.schedule, maintenance.schedule and model.schedule are empty or valid Quartz cron expressions. */
  public static void checkSchedules(GeolakeConfig config) {
    checkCron("serve.schedule", config.serve().schedule(), "0 30 5 * * ?");
    checkCron("maintenance.schedule", config.maintenance().schedule(), "0 0 4 ? * SUN");
    checkCron("model.schedule", config.model().schedule(), "0 0 7 ? * MON");
  }

  private static void checkCron(String key, String cron, String example) {
    if (!cron.isBlank() && !CronExpression.isValidExpression(cron)) {
      throw new ConfigException(
          "Invalid config value for '" + key + "'; expected a Quartz cron expression with seconds, e.g. \"" + example + "\" (got '" + cron + "')");
    }
  }

  /** Starts the schedule, the watcher, the SLA check and the HTTP endpoint; queues missed dates. */
  public Server start() {
    catchUp();
    try {
      Properties quartz = new Properties();
      quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "geolake-serve");
      quartz.setProperty("org.quartz.threadPool.threadCount", "2");
      quartz.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      quartz.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      scheduler = new StdSchedulerFactory(quartz).getScheduler();
      Map<String, Runnable> jobs = new java.util.HashMap<>();
      scheduler.setJobFactory((bundle, s) -> {
        Runnable job = jobs.get(bundle.getJobDetail().getKey().getName());
        return (Job) context -> job.run();
      });
      if (!settings.schedule().isBlank()) {
        jobs.put("schedule", this::scheduledRun);
        scheduler.scheduleJob(
            JobBuilder.newJob(Job.class).withIdentity("schedule").build(),
            TriggerBuilder.newTrigger()
                .withSchedule(CronScheduleBuilder.cronSchedule(settings.schedule()).inTimeZone(TimeZone.getTimeZone(settings.timeZone()))
                    .withMisfireHandlingInstructionDoNothing()) // missed fires are caught up from the run store instead
                .build());
      }
      for (String chore : List.of(RunQueue.MAINTENANCE, RunQueue.TRAINING)) {
        String cron = chore.equals(RunQueue.MAINTENANCE) ? maintenanceSchedule : trainingSchedule;
        if (!cron.isBlank()) {
          jobs.put(chore, () -> queue.submitChore(chore, "schedule " + cron));
          scheduler.scheduleJob(
              JobBuilder.newJob(Job.class).withIdentity(chore).build(),
              TriggerBuilder.newTrigger()
                  .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(settings.timeZone()))
                      .withMisfireHandlingInstructionDoNothing())
                  .build());
        }
      }
      if (settings.watch()) {
        jobs.put("watch", this::watch);
        scheduler.scheduleJob(
            JobBuilder.newJob(Job.class).withIdentity("watch").build(),
            TriggerBuilder.newTrigger().startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(settings.poll().toMillis()).repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
                .build());
      }
      jobs.put("sla", this::checkSla);
      scheduler.scheduleJob(
          JobBuilder.newJob(Job.class).withIdentity("sla").build(),
          TriggerBuilder.newTrigger().startNow()
              .withSchedule(SimpleScheduleBuilder.repeatMinutelyForever().withMisfireHandlingInstructionNextWithRemainingCount()).build());
      scheduler.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException("Cannot start the scheduler: " + e.getMessage(), e);
    }
    if (settings.port() > 0) {
      startHttp();
    }
    return this;
  }

  /** The date a schedule firing at {@code at} runs: that day in the schedule's zone minus days-after. */
  LocalDate scheduledDate(ZonedDateTime at) {
    return at.withZoneSameInstant(settings.timeZone()).toLocalDate().minusDays(settings.daysAfter());
  }

  private void scheduledRun() {
    queue.submit(scheduledDate(ZonedDateTime.now(clock)), "schedule " + settings.schedule());
  }

  private void watch() {
    try {
      watcher.datesToRun().forEach(date -> queue.submit(date, "delivery complete"));
    } catch (RuntimeException e) {
      LOG.error("Landing watcher: {}", e.getMessage());
    }
  }

  private void checkSla() {
    try {
      sla.check();
    } catch (RuntimeException e) {
      LOG.error("SLA check: {}", e.getMessage());
    }
  }

  /**
   * Scheduled dates of the last catch-up-days days whose fire time passed without a successful
   * (or reverted) run and whose delivery is there, oldest first.
   */
  List<LocalDate> missedDates() {
    List<LocalDate> missed = new ArrayList<>();
    if (settings.schedule().isBlank() || settings.catchUpDays() == 0) {
      return missed;
    }
    ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(settings.timeZone());
    var deliveries = watcher.deliveries();
    for (int back = settings.catchUpDays() - 1; back >= 0; back--) {
      ZonedDateTime day = now.toLocalDate().minusDays(back).atStartOfDay(settings.timeZone());
      Date fire = fireTimeOn(day);
      if (fire == null || fire.toInstant().isAfter(now.toInstant())) {
        continue;
      }
      LocalDate date = scheduledDate(day);
      Optional<RunRecord> latest = store.latest(date);
      // A reverted date waits for someone to run it again: its delivery was found bad.
      boolean settled = latest.isPresent() && (latest.get().state() == RunState.SUCCEEDED || latest.get().state() == RunState.REVERTED);
      if (deliveries.containsKey(date) && !settled) {
        missed.add(date);
      }
    }
    return missed;
  }

  private Date fireTimeOn(ZonedDateTime startOfDay) {
    try {
      CronExpression cron = new CronExpression(settings.schedule());
      cron.setTimeZone(TimeZone.getTimeZone(settings.timeZone()));
      Date next = cron.getNextValidTimeAfter(Date.from(startOfDay.toInstant().minusMillis(1)));
      return next != null && next.toInstant().isBefore(startOfDay.plusDays(1).toInstant()) ? next : null;
    } catch (ParseException e) {
      throw new IllegalStateException(e); // validated in the constructor
    }
  }

  private void catchUp() {
    List<LocalDate> missed = missedDates();
    if (!missed.isEmpty()) {
      LOG.info("Catching up dates missed while the server was down: {}", missed);
    }
    missed.forEach(date -> queue.submit(date, "catch-up"));
  }

  private void startHttp() {
    try {
      http = HttpServer.create(new InetSocketAddress(settings.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serve /metrics on port " + settings.port() + " (serve.port): " + e.getMessage(), e);
    }
    http.createContext("/metrics", exchange -> HttpApi.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    http.createContext("/health", exchange -> HttpApi.send(exchange, 200, "application/json",
        "{\"status\":\"up\",\"running\":" + quoted(queue.running()) + ",\"chore\":" + quoted(queue.chore()) + ",\"queued\":" + queue.pending().stream().map(d -> "\"" + d + "\"").toList() + "}"));
    if (api != null) {
      api.mount(http, queue::submit);
    }
    // A few threads, so that a long query of the API never holds up /metrics or /health.
    httpThreads = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "geolake-http");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(httpThreads);
    http.start();
  }

  public int port() {
    return http == null ? 0 : http.getAddress().getPort();
  }

  List<RunQueue.Finished> finishedRuns() {
    return queue.finished();
  }

  private static String quoted(Object value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  @Override
  public void close() {
    try {
      if (scheduler != null) {
        scheduler.shutdown(true);
      }
    } catch (SchedulerException e) {
      LOG.warn("Stopping the scheduler: {}", e.getMessage());
    }
    queue.close();
    if (http != null) {
      http.stop(0);
      httpThreads.shutdownNow();
    }
  }
}
