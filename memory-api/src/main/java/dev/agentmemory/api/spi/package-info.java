/**
 * The service-provider interface: how a store backend or an embedder plugs in. Providers are
 * found with {@link java.util.ServiceLoader} by their {@code name()}; memory-core picks one by the
 * configured name and wires it with Guice.
 */
@NullMarked
package dev.agentmemory.api.spi;

import org.jspecify.annotations.NullMarked;
