package com.example.greeting;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Service;

/** An ordinary Spring service, used by the WebSocket listener and the REST controller alike. */
@Service
public class Greetings {
    private final AtomicLong count = new AtomicLong();

    /** The greeting for {@code name}. */
    public String greet(String name) {
        count.incrementAndGet();
        return "hello, " + name.strip();
    }

    /** How many greetings were made. */
    public long count() {
        return count.get();
    }
}
