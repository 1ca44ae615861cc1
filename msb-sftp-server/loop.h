/* The event loop of msb-sftp-server. */
#ifndef MSB_SFTP_LOOP_H
#define MSB_SFTP_LOOP_H

struct srv;

/* Serve until the client goes away; never returns. */
void srv_loop(struct srv *s) __attribute__((noreturn));
/* Close what is open (logging it, as sftp-server does) and exit. */
void srv_exit(struct srv *s, int status) __attribute__((noreturn));

#endif
