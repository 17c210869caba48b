package dev.agentmemory.inmemory;

import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.testkit.WorkingMemoryContract;
import java.time.Clock;

class InMemoryWorkingMemoryTest extends WorkingMemoryContract {

    @Override
    protected WorkingMemory newWorkingMemory(Clock clock) {
        return new InMemoryWorkingMemory(clock);
    }
}
