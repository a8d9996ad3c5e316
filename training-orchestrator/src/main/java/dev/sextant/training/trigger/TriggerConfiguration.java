package dev.sextant.training.trigger;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.job.JobService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;

/** The cron schedules the configuration lists. */
@Configuration(proxyBeanMethods = false)
class TriggerConfiguration {

    @Bean
    ScheduleTrigger scheduleTrigger(TrainingProperties properties, JobService jobs, TaskScheduler scheduler) {
        return new ScheduleTrigger(properties.schedules(), jobs, scheduler);
    }
}
