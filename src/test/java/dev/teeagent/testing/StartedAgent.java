package dev.teeagent.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real agent ({@link TestAgent#start()}) in the annotated {@link TestAgent} field, closed when it
 * is done: a static field's agent serves every test of the class (started before {@code @BeforeAll}
 * methods run, closed after {@code @AfterAll} ones), an instance field's serves one test (started
 * before {@code @BeforeEach} methods, closed after {@code @AfterEach} ones).
 *
 * <pre>
 *   &#64;StartedAgent static TestAgent agent;   // one for the class
 *   &#64;StartedAgent TestAgent agent;          // a fresh one per test
 * </pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(StartedAgentExtension.class)
public @interface StartedAgent {}
