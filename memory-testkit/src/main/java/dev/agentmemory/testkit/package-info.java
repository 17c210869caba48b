/**
 * Contract tests that every store implementation extends: {@link AgentMemoryStoreContract},
 * {@link KnowledgeStoreContract} and {@link WorkingMemoryContract}. An implementation's test class
 * extends the contract and provides a fresh, empty store; every behaviour the store interfaces
 * promise is then checked against it, the same way for every backend.
 */
@NullMarked
package dev.agentmemory.testkit;

import org.jspecify.annotations.NullMarked;
