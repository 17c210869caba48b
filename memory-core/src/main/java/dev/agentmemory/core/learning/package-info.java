/**
 * Learning from outcomes without a model call: {@link dev.agentmemory.core.learning.Consolidator}
 * finds the conditions on a situation's fields under which a decision did clearly better than its
 * alternatives, {@link dev.agentmemory.core.learning.Consolidation} keeps what it finds in the
 * knowledge store, and {@link dev.agentmemory.core.learning.Adviser} groups the decisions taken in
 * similar situations. Nothing here knows a domain: every field of a perception or an action is
 * treated alike, by the type of its values.
 */
@NullMarked
package dev.agentmemory.core.learning;

import org.jspecify.annotations.NullMarked;
