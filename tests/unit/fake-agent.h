/* A scripted stand-in for msb-agent, for unit tests of agent clients. */
#ifndef MSB_TEST_FAKE_AGENT_H
#define MSB_TEST_FAKE_AGENT_H

/* Listen on a SEQPACKET socket in a fresh /tmp/msb-TAG-test.XXXXXX and
 * fork a child that accepts one connection, runs serve(sock), then holds
 * the connection until the client closes it. Returns the socket path.
 * Fails the current Criterion test on error. */
const char *fake_agent_start(const char *tag, void (*serve)(int sock));
/* Kill and reap the child, remove the socket and directory (a suite's
 * .fini; harmless when nothing was started). */
void fake_agent_stop(void);

#endif
