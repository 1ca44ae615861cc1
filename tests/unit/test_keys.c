/* Unit tests of public key parsing, validation, fingerprints and the
 * authorized_keys file (dedupe, atomic rewrite, permissions). */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/authkeys.h"
#include "msb/base64.h"
#include "msb/buf.h"
#include "msb/keys.h"

/* Generated with ssh-keygen 9.2 (sk-* public keys synthesised, certificates
 * signed with ssh-keygen -s); fingerprints from ssh-keygen -lf. */
static const struct { const char *type, *line, *fp; } fixtures[] = {
	{ "ssh-ed25519",
	  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIplwcRg4JvFe6ip2A3PmjAO"
	  "9wYHxv4lD0WXJ1gL9zIs test-ed25519",
	  "SHA256:C9NZIteIFpgLFzMsulTCbEKC7A4oA70xoKvJETibo0k" },
	{ "ssh-ed25519-cert-v01@openssh.com",
	  "ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQ"
	  "tdjAxQG9wZW5zc2guY29tAAAAIOZhV04mlA2+qtKrTveFqShEVsXxL6rA3xS"
	  "b/2vgcSwvAAAAIIplwcRg4JvFe6ip2A3PmjAO9wYHxv4lD0WXJ1gL9zIsAAA"
	  "AAAAAAAAAAAABAAAAAmlkAAAACQAAAAVhbGljZQAAAAAAAAAA//////////8"
	  "AAAAAAAAAggAAABVwZXJtaXQtWDExLWZvcndhcmRpbmcAAAAAAAAAF3Blcm1"
	  "pdC1hZ2VudC1mb3J3YXJkaW5nAAAAAAAAABZwZXJtaXQtcG9ydC1mb3J3YXJ"
	  "kaW5nAAAAAAAAAApwZXJtaXQtcHR5AAAAAAAAAA5wZXJtaXQtdXNlci1yYwA"
	  "AAAAAAAAAAAAAMwAAAAtzc2gtZWQyNTUxOQAAACBDNCPAVrh8rcC2eYwLKuN"
	  "qy9sSerCdQcjBW7NyVbUXZQAAAFMAAAALc3NoLWVkMjU1MTkAAABAnfAStQk"
	  "dRNAx74SwvB3lzDBv9ahKpLD4VAmbtYFLUc63XmeFVVZpT8URZbRDkdKrIA3"
	  "bv+Bxn0sic/Do+btAAw== test-ed25519",
	  "SHA256:C9NZIteIFpgLFzMsulTCbEKC7A4oA70xoKvJETibo0k" },
	{ "ssh-rsa",
	  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCw4584FJumX5YAkw57qU1L"
	  "sa8iNkaA2yQk4+ddWTMdBfqOqLvOQjFFpDMQmHQvE28y93c8p3wA9K8Vf9h6"
	  "zG8jDBMQTPlIQxEL17IdGUIxlazmyhE+qKbwoPNbFMcz4nN+r+URRCS+0oDp"
	  "n/l/a9SgPLkxqLjPMRMD7GdIJTYVCCWTsYwIzrOuc6OBllsuv7Czr8QL9Vki"
	  "EvyWgqxmoUd/UGiyT5OjYYhBBODdi/S0DbNWU2GW1iYIPXT6sZELoRfwcHDP"
	  "xs0xJ0svBywwSgG+MO0kh3VUlVOhnYdzvvsEvfyRciNCC5PohKmCZo6hcEi1"
	  "x/FavjRe6Q/WTPHDtuyT test-rsab2048",
	  "SHA256:+6HGRJTxnDB9DzVEoXXPwN3/XUQYF+645Nr64XAAN3k" },
	{ "ssh-rsa-cert-v01@openssh.com",
	  "ssh-rsa-cert-v01@openssh.com AAAAHHNzaC1yc2EtY2VydC12MDFAb3B"
	  "lbnNzaC5jb20AAAAgkErAwh+N5pK9NYZcGOOR07/5smrUz/s3RKrlSet+47s"
	  "AAAADAQABAAABAQCw4584FJumX5YAkw57qU1Lsa8iNkaA2yQk4+ddWTMdBfq"
	  "OqLvOQjFFpDMQmHQvE28y93c8p3wA9K8Vf9h6zG8jDBMQTPlIQxEL17IdGUI"
	  "xlazmyhE+qKbwoPNbFMcz4nN+r+URRCS+0oDpn/l/a9SgPLkxqLjPMRMD7Gd"
	  "IJTYVCCWTsYwIzrOuc6OBllsuv7Czr8QL9VkiEvyWgqxmoUd/UGiyT5OjYYh"
	  "BBODdi/S0DbNWU2GW1iYIPXT6sZELoRfwcHDPxs0xJ0svBywwSgG+MO0kh3V"
	  "UlVOhnYdzvvsEvfyRciNCC5PohKmCZo6hcEi1x/FavjRe6Q/WTPHDtuyTAAA"
	  "AAAAAAAAAAAABAAAAAmlkAAAACQAAAAVhbGljZQAAAAAAAAAA//////////8"
	  "AAAAAAAAAggAAABVwZXJtaXQtWDExLWZvcndhcmRpbmcAAAAAAAAAF3Blcm1"
	  "pdC1hZ2VudC1mb3J3YXJkaW5nAAAAAAAAABZwZXJtaXQtcG9ydC1mb3J3YXJ"
	  "kaW5nAAAAAAAAAApwZXJtaXQtcHR5AAAAAAAAAA5wZXJtaXQtdXNlci1yYwA"
	  "AAAAAAAAAAAAAMwAAAAtzc2gtZWQyNTUxOQAAACBDNCPAVrh8rcC2eYwLKuN"
	  "qy9sSerCdQcjBW7NyVbUXZQAAAFMAAAALc3NoLWVkMjU1MTkAAABAPWsL2m7"
	  "VizzXPCA4KIzz4iL0M7Jy6Xxd5sF0rNVmMXuunV6WdrIbTnd1r9I4hAizI7b"
	  "jFzLHYTWMn+TN3gt/BQ== test-rsab2048",
	  "SHA256:+6HGRJTxnDB9DzVEoXXPwN3/XUQYF+645Nr64XAAN3k" },
	{ "ecdsa-sha2-nistp256",
	  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlz"
	  "dHAyNTYAAABBBH770MBHnyXBlX/kXaeu3s9g29MUxogrW/K6xOzUSD8U9JFI"
	  "sr2eP66rGVmxeSEZ9NDFWWZTMVflSrAg7jIRLt0= test-ecdsab256",
	  "SHA256:MLaeL0ukaf3BDuCUC7ROlGOeRxaFB3VAUWjNlzW01lc" },
	{ "ecdsa-sha2-nistp256-cert-v01@openssh.com",
	  "ecdsa-sha2-nistp256-cert-v01@openssh.com AAAAKGVjZHNhLXNoYTI"
	  "tbmlzdHAyNTYtY2VydC12MDFAb3BlbnNzaC5jb20AAAAg2/vMy0QGuUcRDwN"
	  "knU3O0pevF9Ip1POrk+CYJBenN5sAAAAIbmlzdHAyNTYAAABBBH770MBHnyX"
	  "BlX/kXaeu3s9g29MUxogrW/K6xOzUSD8U9JFIsr2eP66rGVmxeSEZ9NDFWWZ"
	  "TMVflSrAg7jIRLt0AAAAAAAAAAAAAAAEAAAACaWQAAAAJAAAABWFsaWNlAAA"
	  "AAAAAAAD//////////wAAAAAAAACCAAAAFXBlcm1pdC1YMTEtZm9yd2FyZGl"
	  "uZwAAAAAAAAAXcGVybWl0LWFnZW50LWZvcndhcmRpbmcAAAAAAAAAFnBlcm1"
	  "pdC1wb3J0LWZvcndhcmRpbmcAAAAAAAAACnBlcm1pdC1wdHkAAAAAAAAADnB"
	  "lcm1pdC11c2VyLXJjAAAAAAAAAAAAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIEM"
	  "0I8BWuHytwLZ5jAsq42rL2xJ6sJ1ByMFbs3JVtRdlAAAAUwAAAAtzc2gtZWQ"
	  "yNTUxOQAAAEAy6IJY7gs28ekCmtE+QiCr7ATkkS/Mhb+ZdmMUKjhixDq6zfD"
	  "SVn+acWb/ICDvHFSYaongWOt5g37y3j46wxMF test-ecdsab256",
	  "SHA256:MLaeL0ukaf3BDuCUC7ROlGOeRxaFB3VAUWjNlzW01lc" },
	{ "ecdsa-sha2-nistp384",
	  "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlz"
	  "dHAzODQAAABhBF96PJMphqFLx8gZw5Huj79yOqHfijjG4Gk8pEaxcDYhhJKn"
	  "0aPoAIJqrRKCO3NLbil4IUBWiNCTcME8qZhsCw+rAyy8TRf0QbxERTyrXks0"
	  "GzLMVE4Os66QeGwYsaZcQw== test-ecdsab384",
	  "SHA256:ouPobjd0pFrzzGVDEacucKfVLC1zx+CS0+tM7sFuSy8" },
	{ "ecdsa-sha2-nistp384-cert-v01@openssh.com",
	  "ecdsa-sha2-nistp384-cert-v01@openssh.com AAAAKGVjZHNhLXNoYTI"
	  "tbmlzdHAzODQtY2VydC12MDFAb3BlbnNzaC5jb20AAAAgT7cfCDQyHe5qmAo"
	  "G7giEhbp50gBwB+OzkBbGehodHeUAAAAIbmlzdHAzODQAAABhBF96PJMphqF"
	  "Lx8gZw5Huj79yOqHfijjG4Gk8pEaxcDYhhJKn0aPoAIJqrRKCO3NLbil4IUB"
	  "WiNCTcME8qZhsCw+rAyy8TRf0QbxERTyrXks0GzLMVE4Os66QeGwYsaZcQwA"
	  "AAAAAAAAAAAAAAQAAAAJpZAAAAAkAAAAFYWxpY2UAAAAAAAAAAP/////////"
	  "/AAAAAAAAAIIAAAAVcGVybWl0LVgxMS1mb3J3YXJkaW5nAAAAAAAAABdwZXJ"
	  "taXQtYWdlbnQtZm9yd2FyZGluZwAAAAAAAAAWcGVybWl0LXBvcnQtZm9yd2F"
	  "yZGluZwAAAAAAAAAKcGVybWl0LXB0eQAAAAAAAAAOcGVybWl0LXVzZXItcmM"
	  "AAAAAAAAAAAAAADMAAAALc3NoLWVkMjU1MTkAAAAgQzQjwFa4fK3AtnmMCyr"
	  "jasvbEnqwnUHIwVuzclW1F2UAAABTAAAAC3NzaC1lZDI1NTE5AAAAQJuGq46"
	  "s5ZSdIhpU8jGgZX6QmfHocFDj+kEiRfiWzpaikwNwxOxt+AR2SEFod7z+wbC"
	  "AQGraXfwGS/+hp9joyQs= test-ecdsab384",
	  "SHA256:ouPobjd0pFrzzGVDEacucKfVLC1zx+CS0+tM7sFuSy8" },
	{ "ecdsa-sha2-nistp521",
	  "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlz"
	  "dHA1MjEAAACFBAECjH6EWS8FgzQsASvoh3r1xFt7ov488F5n+y2DjD/nWupT"
	  "Zgvfy7ndQnDnwOu75LwzQcR1IHvkKCNXd1WRmFnQJwAiYoX3l0lhUKk7bWsZ"
	  "0nJdMulr/+XAFGobwkQHxmZs4LgHNtgDT39IjJ3PbnGs3etfGwmBa+urICFt"
	  "tUh9BhXE9A== test-ecdsab521",
	  "SHA256:Dm7helTLP5eeWBG7AkHK5U8JXfvkXhyxb/8aCIN0MxQ" },
	{ "ecdsa-sha2-nistp521-cert-v01@openssh.com",
	  "ecdsa-sha2-nistp521-cert-v01@openssh.com AAAAKGVjZHNhLXNoYTI"
	  "tbmlzdHA1MjEtY2VydC12MDFAb3BlbnNzaC5jb20AAAAgz7pUJV4OF1yPPEc"
	  "2yp5TvHiXjEHeKbF91o77mCLAewUAAAAIbmlzdHA1MjEAAACFBAECjH6EWS8"
	  "FgzQsASvoh3r1xFt7ov488F5n+y2DjD/nWupTZgvfy7ndQnDnwOu75LwzQcR"
	  "1IHvkKCNXd1WRmFnQJwAiYoX3l0lhUKk7bWsZ0nJdMulr/+XAFGobwkQHxmZ"
	  "s4LgHNtgDT39IjJ3PbnGs3etfGwmBa+urICFttUh9BhXE9AAAAAAAAAAAAAA"
	  "AAQAAAAJpZAAAAAkAAAAFYWxpY2UAAAAAAAAAAP//////////AAAAAAAAAII"
	  "AAAAVcGVybWl0LVgxMS1mb3J3YXJkaW5nAAAAAAAAABdwZXJtaXQtYWdlbnQ"
	  "tZm9yd2FyZGluZwAAAAAAAAAWcGVybWl0LXBvcnQtZm9yd2FyZGluZwAAAAA"
	  "AAAAKcGVybWl0LXB0eQAAAAAAAAAOcGVybWl0LXVzZXItcmMAAAAAAAAAAAA"
	  "AADMAAAALc3NoLWVkMjU1MTkAAAAgQzQjwFa4fK3AtnmMCyrjasvbEnqwnUH"
	  "IwVuzclW1F2UAAABTAAAAC3NzaC1lZDI1NTE5AAAAQH9Hf4VsV3grx6S3W48"
	  "mRn0LYV5xcFgyzi/h5JfOvP1/ale3AzcJUBbL9BWzTNo9O+Hw3GY+OsXIxj6"
	  "EcFptBAY= test-ecdsab521",
	  "SHA256:Dm7helTLP5eeWBG7AkHK5U8JXfvkXhyxb/8aCIN0MxQ" },
	{ "sk-ssh-ed25519@openssh.com",
	  "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc"
	  "2guY29tAAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fAAAAB"
	  "HNzaDo= test-sked25519",
	  "SHA256:/p0CbeE3dk2SyW1OXXsThGc12ezDVD8eGw2/vtztDfk" },
	{ "sk-ssh-ed25519-cert-v01@openssh.com",
	  "sk-ssh-ed25519-cert-v01@openssh.com AAAAI3NrLXNzaC1lZDI1NTE5"
	  "LWNlcnQtdjAxQG9wZW5zc2guY29tAAAAIImWJesMTApRmkgRui96VW9YhUAN"
	  "PcSGe4n4oD2xqwhTAAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhsc"
	  "HR4fAAAABHNzaDoAAAAAAAAAAAAAAAEAAAACaWQAAAAJAAAABWFsaWNlAAAA"
	  "AAAAAAD//////////wAAAAAAAACCAAAAFXBlcm1pdC1YMTEtZm9yd2FyZGlu"
	  "ZwAAAAAAAAAXcGVybWl0LWFnZW50LWZvcndhcmRpbmcAAAAAAAAAFnBlcm1p"
	  "dC1wb3J0LWZvcndhcmRpbmcAAAAAAAAACnBlcm1pdC1wdHkAAAAAAAAADnBl"
	  "cm1pdC11c2VyLXJjAAAAAAAAAAAAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIEM0"
	  "I8BWuHytwLZ5jAsq42rL2xJ6sJ1ByMFbs3JVtRdlAAAAUwAAAAtzc2gtZWQy"
	  "NTUxOQAAAEAcTD4y5pdNNno5lH9p/k6Y6bY/D0vgVChFYuzm7RSlLerrv2Wr"
	  "eRcJmw+1Pk/A1TwxW10jX2QoVAcJde6Pxt4M test-sked25519",
	  "SHA256:/p0CbeE3dk2SyW1OXXsThGc12ezDVD8eGw2/vtztDfk" },
	{ "sk-ecdsa-sha2-nistp256@openssh.com",
	  "sk-ecdsa-sha2-nistp256@openssh.com AAAAInNrLWVjZHNhLXNoYTItb"
	  "mlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyNTYAAABBBH770MBHnyXBl"
	  "X/kXaeu3s9g29MUxogrW/K6xOzUSD8U9JFIsr2eP66rGVmxeSEZ9NDFWWZTM"
	  "VflSrAg7jIRLt0AAAAEc3NoOg== test-skecdsa",
	  "SHA256:hlQNIXuXEVHP4F1ba72zof9pbRQRsxB7j9mWpxHm6ZQ" },
	{ "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
	  "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com AAAAK3NrLWVjZHNh"
	  "LXNoYTItbmlzdHAyNTYtY2VydC12MDFAb3BlbnNzaC5jb20AAAAgCa6O3Blv"
	  "tt2nb3hk5f3EyGsQS1klsXVTVSQs1MXzyS8AAAAIbmlzdHAyNTYAAABBBH77"
	  "0MBHnyXBlX/kXaeu3s9g29MUxogrW/K6xOzUSD8U9JFIsr2eP66rGVmxeSEZ"
	  "9NDFWWZTMVflSrAg7jIRLt0AAAAEc3NoOgAAAAAAAAAAAAAAAQAAAAJpZAAA"
	  "AAkAAAAFYWxpY2UAAAAAAAAAAP//////////AAAAAAAAAIIAAAAVcGVybWl0"
	  "LVgxMS1mb3J3YXJkaW5nAAAAAAAAABdwZXJtaXQtYWdlbnQtZm9yd2FyZGlu"
	  "ZwAAAAAAAAAWcGVybWl0LXBvcnQtZm9yd2FyZGluZwAAAAAAAAAKcGVybWl0"
	  "LXB0eQAAAAAAAAAOcGVybWl0LXVzZXItcmMAAAAAAAAAAAAAADMAAAALc3No"
	  "LWVkMjU1MTkAAAAgQzQjwFa4fK3AtnmMCyrjasvbEnqwnUHIwVuzclW1F2UA"
	  "AABTAAAAC3NzaC1lZDI1NTE5AAAAQAiXsJMjhtzI5mnO1fuoEaR1eAJCZOrq"
	  "/qqNbj9jS5UNQ0CPBwOhv5e0oG9HkMgfySRJ+xZUCpILzW3e10+L+Qg= tes"
	  "t-skecdsa",
	  "SHA256:hlQNIXuXEVHP4F1ba72zof9pbRQRsxB7j9mWpxHm6ZQ" },
};

#define HOST_CERT \
	"ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9w" \
	"ZW5zc2guY29tAAAAIIujVlhgr9b1FIyFAmpcsCN/4ECxOiGgM0khkWpAd9v8AAAAIIplwc" \
	"Rg4JvFe6ip2A3PmjAO9wYHxv4lD0WXJ1gL9zIsAAAAAAAAAAAAAAACAAAABGhvc3QAAAAF" \
	"AAAAAWgAAAAAAAAAAP//////////AAAAAAAAAAAAAAAAAAAAMwAAAAtzc2gtZWQyNTUxOQ" \
	"AAACBDNCPAVrh8rcC2eYwLKuNqy9sSerCdQcjBW7NyVbUXZQAAAFMAAAALc3NoLWVkMjU1" \
	"MTkAAABADX+FXdcyIqTfIiYsMOVyhYMOYrs8Sl+qOg9VEtfsNFG8T1L1W5cSVRNflUkT1G" \
	"I0fhHDg/cwPd7Czyi9UJbbDw== host"

#define FORCE_CMD_CERT \
	"ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQ" \
	"G9wZW5zc2guY29tAAAAIM02N1e9sJerWpcgw266MHNs09eU88oiXuG7s5HSDtFSAAA" \
	"AIIplwcRg4JvFe6ip2A3PmjAO9wYHxv4lD0WXJ1gL9zIsAAAAAAAAAAAAAAABAAAAA" \
	"mZjAAAACQAAAAVhbGljZQAAAAAAAAAA//////////8AAAAmAAAADWZvcmNlLWNvbW1" \
	"hbmQAAAARAAAADWVjaG8gaGkgdGhlcmUAAACCAAAAFXBlcm1pdC1YMTEtZm9yd2FyZ" \
	"GluZwAAAAAAAAAXcGVybWl0LWFnZW50LWZvcndhcmRpbmcAAAAAAAAAFnBlcm1pdC1" \
	"wb3J0LWZvcndhcmRpbmcAAAAAAAAACnBlcm1pdC1wdHkAAAAAAAAADnBlcm1pdC11c" \
	"2VyLXJjAAAAAAAAAAAAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIEM0I8BWuHytwLZ5jAs" \
	"q42rL2xJ6sJ1ByMFbs3JVtRdlAAAAUwAAAAtzc2gtZWQyNTUxOQAAAEA7W09VdVkCj" \
	"vP+TR133y17Ql/XhLfVyPqwBG0ULOGYaFZen4TvoEfiIevjJvE2thGYOeRGaABjm+z" \
	"6MsI6zwUM test-ed25519"
#define CA_KEY \
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEM0I8BWuHytwLZ5jAsq42rL2xJ6sJ1ByMFbs3JVtRdl ca"

#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

/* The base64 field of fixture i (heap). */
static char *
fixture_b64(size_t i)
{
	const char *p = strchr(fixtures[i].line, ' ') + 1;

	return strndup(p, strcspn(p, " "));
}

static int
parse(const char *line, struct msb_pubkey *k, struct msb_error *err)
{
	return msb_pubkey_parse_line(line, strlen(line), k, err);
}

/* Expect line to be rejected with a message containing what. */
static void
expect_bad(const char *line, const char *what)
{
	struct msb_pubkey k;
	struct msb_error err = MSB_ERROR_INIT;

	cr_assert_eq(parse(line, &k, &err), -1, "accepted: %.80s", line);
	cr_assert_not_null(strstr(msb_error_msg(&err), what),
	    "line %.60s: message '%s' lacks '%s'", line, msb_error_msg(&err),
	    what);
	cr_assert_null(k.type);
	cr_assert_null(k.blob);
	msb_error_clear(&err);
}

/* "TYPE base64(blob) comment" for a blob built by the caller. */
static char *
line_for(const char *type, struct msb_buf *blob)
{
	char *b64 = msb_b64_encode(msb_buf_ptr(blob), msb_buf_len(blob), 1);
	char *line;

	cr_assert_not_null(b64);
	cr_assert_neq(asprintf(&line, "%s %s c", type, b64), -1);
	free(b64);
	return line;
}

static struct msb_buf *
blob_start(const char *type)
{
	struct msb_buf *b = msb_buf_new();

	cr_assert_not_null(b);
	cr_assert_eq(msb_buf_put_cstring(b, type), 0);
	return b;
}

Test(keys, every_type_parses_with_ssh_keygen_fingerprint)
{
	struct msb_pubkey k, k2;
	struct msb_error err = MSB_ERROR_INIT;
	char *fp, *line;
	size_t i;

	for (i = 0; i < NFIXTURES; i++) {
		cr_assert_eq(parse(fixtures[i].line, &k, &err), 1, "%s: %s",
		    fixtures[i].type, msb_error_msg(&err));
		cr_assert_str_eq(k.type, fixtures[i].type);
		cr_assert_null(k.options);
		cr_assert_not_null(k.comment);
		cr_assert_eq(strncmp(k.comment, "test-", 5), 0);
		fp = msb_pubkey_fingerprint(&k);
		cr_assert_str_eq(fp, fixtures[i].fp, "%s", fixtures[i].type);
		free(fp);
		/* canonical form round-trips to the same line */
		line = msb_pubkey_format(&k);
		cr_assert_str_eq(line, fixtures[i].line);
		cr_assert_eq(parse(line, &k2, &err), 1);
		cr_assert(msb_pubkey_equal(&k, &k2));
		free(line);
		msb_pubkey_free(&k2);
		msb_pubkey_free(&k);
	}
	cr_assert_eq(NFIXTURES, 14);
}

Test(keys, blank_and_comment_lines)
{
	const char *lines[] = { "", "   ", "\t", "# comment", "  # indented",
	    "\n", "\r\n", NULL };
	struct msb_pubkey k;
	size_t i;

	for (i = 0; lines[i] != NULL; i++) {
		cr_assert_eq(parse(lines[i], &k, NULL), 0, "'%s'", lines[i]);
		cr_assert_null(k.type);
	}
}

Test(keys, whitespace_crlf_and_no_comment)
{
	struct msb_pubkey k;
	char *b64 = fixture_b64(0), *line;

	cr_assert_neq(asprintf(&line, "  \tssh-ed25519\t %s  \r\n", b64), -1);
	cr_assert_eq(parse(line, &k, NULL), 1);
	cr_assert_null(k.comment);
	cr_assert_str_eq(k.type, "ssh-ed25519");
	msb_pubkey_free(&k);
	free(line);
	cr_assert_neq(asprintf(&line, "ssh-ed25519 %s two word comment", b64), -1);
	cr_assert_eq(parse(line, &k, NULL), 1);
	cr_assert_str_eq(k.comment, "two word comment");
	msb_pubkey_free(&k);
	free(line);
	free(b64);
}

Test(keys, options_with_quotes)
{
	const char *opts[] = {
		"no-pty",
		"restrict",
		"restrict,pty",
		"from=\"10.0.0.1,192.168.*\"",
		"command=\"echo \\\"hi there\\\"; exit 3\",no-pty",
		"from=\"a,b\",command=\"x y\",no-pty,restrict,expiry-time=\"20301231\"",
		"expiry-time=\"203012312359Z\"",
		"environment=\"LANG=C.UTF-8\",permitopen=\"127.0.0.1:80\"",
		"permitlisten=\"8080\",tunnel=\"1\",no-X11-forwarding",
		"NO-AGENT-FORWARDING,No-Port-Forwarding,no-user-rc",
		"cert-authority,principals=\"alice,bob\"",
		"no-touch-required,verify-required",
		NULL,
	};
	struct msb_pubkey k;
	struct msb_error err = MSB_ERROR_INIT;
	char *b64 = fixture_b64(0), *line, *out;
	size_t i;

	for (i = 0; opts[i] != NULL; i++) {
		cr_assert_neq(asprintf(&line, "%s ssh-ed25519 %s my key", opts[i],
		    b64), -1);
		cr_assert_eq(parse(line, &k, &err), 1, "%s: %s", opts[i],
		    msb_error_msg(&err));
		cr_assert_str_eq(k.options, opts[i]);
		cr_assert_str_eq(k.comment, "my key");
		out = msb_pubkey_format(&k);
		cr_assert_str_eq(out, line);
		free(out);
		msb_pubkey_free(&k);
		free(line);
	}
	free(b64);
}

Test(keys, bad_options)
{
	static const struct { const char *opts, *msg; } bad[] = {
		{ "no-ptyy", "unknown key option 'no-ptyy'" },
		{ "bogus=\"x\"", "unknown key option 'bogus'" },
		{ "no-pty,bogus", "unknown key option 'bogus'" },
		{ "command=echo", "needs a value in double quotes" },
		{ "command=\"a\",command=\"b\"", "more than once" },
		{ "from=\"\"", "invalid value" },
		{ "expiry-time=\"2030\"", "invalid value" },
		{ "expiry-time=\"20301345\"", "invalid value" },
		{ "environment=\"NOEQUALS\"", "invalid value" },
		{ "environment=\"1A=b\"", "invalid value" },
		{ "tunnel=\"x\"", "invalid value" },
		{ "permitopen=\"host:port\"", "invalid value" },
		{ "no-pty,", "end with ','" },
		{ "no-pty;restrict", "unknown key" },
		{ "restrict=\"x\"", "unknown key option" },
		{ "no-restrict", "unknown key" },
		{ NULL, NULL },
	};
	char *b64 = fixture_b64(0), *line;
	size_t i;

	for (i = 0; bad[i].opts != NULL; i++) {
		cr_assert_neq(asprintf(&line, "%s ssh-ed25519 %s c", bad[i].opts,
		    b64), -1);
		expect_bad(line, bad[i].msg);
		free(line);
	}
	cr_assert_neq(asprintf(&line, "command=\"unterminated ssh-ed25519 %s", b64),
	    -1);
	expect_bad(line, "unterminated quote");
	free(line);
	free(b64);
}

Test(keys, hostile_lines)
{
	char *b64 = fixture_b64(0), *rsa = fixture_b64(2), *line, *big;

	expect_bad("ssh-ed25519", "no key data");
	expect_bad("ssh-ed25519 ", "no key data");
	expect_bad("ssh-ed25519 ====", "not valid base64");
	expect_bad("ssh-ed25519 AAAA!AAA", "not valid base64");
	expect_bad("ssh-ed25519 A", "not valid base64");
	expect_bad("ssh-ed2551 AAAAC3NzaC1lZDI1NTE5AAAAIIplwcRg4JvFe6ip2A3PmjAO9wYHxv4lD0WXJ1gL9zIs",
	    "unknown key type 'ssh-ed2551'");
	expect_bad("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "DSA keys are not supported");
	expect_bad("rsa-sha2-256 AAAA", "signature algorithm");
	expect_bad("hello", "not a public key line");
	expect_bad("ssh-ed2551 AAAA comment", "unknown key type 'ssh-ed2551'");
	expect_bad("no-pty ssh-ed2551 AAAA", "unknown key type 'ssh-ed2551'");
	expect_bad("AAAAC3NzaC1lZDI1NTE5AAAAIIplwcRg4JvFe6ip2A3PmjAO9wYHxv4lD0WXJ1gL9zIs c",
	    "missing key type");
	expect_bad("ssh-ed25519 AAAA\x01 comment", "control character");
	expect_bad(HOST_CERT, "not a user certificate");
	{
		struct msb_pubkey k;
		struct msb_error err = MSB_ERROR_INIT;
		char nul[] = "ssh-ed25519 AAAA\0rest";

		cr_assert_eq(msb_pubkey_parse_line(nul, sizeof(nul) - 1, &k, &err),
		    -1);
		cr_assert_not_null(strstr(msb_error_msg(&err), "control character"));
		msb_error_clear(&err);
	}
	/* truncated base64: cut at every length, never accepted as a key */
	{
		size_t n, len = strlen(b64);
		struct msb_pubkey k;

		for (n = 1; n < len; n++) {
			cr_assert_neq(asprintf(&line, "ssh-ed25519 %.*s c", (int)n, b64),
			    -1);
			cr_assert_eq(parse(line, &k, NULL), -1, "cut at %zu", n);
			free(line);
		}
		len = strlen(rsa);
		for (n = 1; n < len; n += 7) {
			cr_assert_neq(asprintf(&line, "ssh-rsa %.*s c", (int)n, rsa),
			    -1);
			cr_assert_eq(parse(line, &k, NULL), -1, "rsa cut at %zu", n);
			free(line);
		}
	}
	/* type mismatch: the line says rsa, the blob is ed25519 */
	cr_assert_neq(asprintf(&line, "ssh-rsa %s c", b64), -1);
	expect_bad(line, "key type mismatch");
	free(line);
	cr_assert_neq(asprintf(&line, "ecdsa-sha2-nistp256 %s c", b64), -1);
	expect_bad(line, "key type mismatch");
	free(line);
	/* an overlong line */
	big = malloc(MSB_PUBKEY_LINE_MAX + 100);
	memset(big, 'A', MSB_PUBKEY_LINE_MAX + 99);
	memcpy(big, "ssh-rsa ", 8);
	big[MSB_PUBKEY_LINE_MAX + 99] = '\0';
	expect_bad(big, "too long");
	free(big);
	free(b64);
	free(rsa);
}

Test(keys, structural_checks)
{
	struct msb_buf *b;
	uint8_t pk[133];
	char *line;

	memset(pk, 7, sizeof(pk));
	/* ed25519 with a 31-byte key */
	b = blob_start("ssh-ed25519");
	msb_buf_put_string(b, pk, 31);
	line = line_for("ssh-ed25519", b);
	expect_bad(line, "must be 32 bytes");
	free(line);
	msb_buf_free(b);
	/* trailing bytes */
	b = blob_start("ssh-ed25519");
	msb_buf_put_string(b, pk, 32);
	msb_buf_put_u8(b, 0);
	line = line_for("ssh-ed25519", b);
	expect_bad(line, "1 trailing bytes");
	free(line);
	msb_buf_free(b);
	/* sk-ed25519 without its application */
	b = blob_start("sk-ssh-ed25519@openssh.com");
	msb_buf_put_string(b, pk, 32);
	line = line_for("sk-ssh-ed25519@openssh.com", b);
	expect_bad(line, "truncated (application)");
	free(line);
	msb_buf_free(b);
	/* a valid synthetic sk-ed25519 key */
	b = blob_start("sk-ssh-ed25519@openssh.com");
	msb_buf_put_string(b, pk, 32);
	msb_buf_put_cstring(b, "ssh:");
	line = line_for("sk-ssh-ed25519@openssh.com", b);
	{
		struct msb_pubkey k;

		cr_assert_eq(parse(line, &k, NULL), 1);
		msb_pubkey_free(&k);
	}
	free(line);
	msb_buf_free(b);
	/* ecdsa: wrong curve name, compressed point, wrong size */
	b = blob_start("ecdsa-sha2-nistp256");
	msb_buf_put_cstring(b, "nistp384");
	pk[0] = 4;
	msb_buf_put_string(b, pk, 65);
	line = line_for("ecdsa-sha2-nistp256", b);
	expect_bad(line, "wrong curve");
	free(line);
	msb_buf_free(b);
	b = blob_start("ecdsa-sha2-nistp256");
	msb_buf_put_cstring(b, "nistp256");
	pk[0] = 2;
	msb_buf_put_string(b, pk, 65);
	line = line_for("ecdsa-sha2-nistp256", b);
	expect_bad(line, "uncompressed point");
	free(line);
	msb_buf_free(b);
	b = blob_start("ecdsa-sha2-nistp521");
	msb_buf_put_cstring(b, "nistp521");
	pk[0] = 4;
	msb_buf_put_string(b, pk, 97);
	line = line_for("ecdsa-sha2-nistp521", b);
	expect_bad(line, "133 bytes");
	free(line);
	msb_buf_free(b);
}

static char *
rsa_line(size_t modulus_bytes, uint8_t e0, int negative_e)
{
	struct msb_buf *b = blob_start("ssh-rsa");
	uint8_t e[3] = { e0, 0, 1 }, *n = malloc(modulus_bytes + 1);
	char *line;

	n[0] = 0;
	memset(n + 1, 0xc5, modulus_bytes);
	if (negative_e)
		e[0] = 0x81;
	msb_buf_put_string(b, e, 3);
	msb_buf_put_string(b, n, modulus_bytes + 1);
	line = line_for("ssh-rsa", b);
	msb_buf_free(b);
	free(n);
	return line;
}

Test(keys, rsa_checks)
{
	struct msb_pubkey k;
	char *line;

	line = rsa_line(128, 1, 0);              /* 1024 bits: accepted */
	cr_assert_eq(parse(line, &k, NULL), 1);
	msb_pubkey_free(&k);
	free(line);
	line = rsa_line(96, 1, 0);               /* 768 bits */
	expect_bad(line, "too small (768 bits");
	free(line);
	line = rsa_line(2100, 1, 0);             /* 16800 bits */
	expect_bad(line, "too large");
	free(line);
	line = rsa_line(256, 1, 1);              /* negative exponent */
	expect_bad(line, "invalid public exponent");
	free(line);
}

Test(keys, parse_text_multiple_and_line_numbers)
{
	struct msb_pubkey *keys;
	struct msb_error err = MSB_ERROR_INIT;
	size_t n;
	char *text;

	cr_assert_neq(asprintf(&text, "# my keys\n\n%s\n%s\n", fixtures[0].line,
	    fixtures[2].line), -1);
	cr_assert_eq(msb_pubkeys_parse_text(text, strlen(text), &keys, &n, &err),
	    0, "%s", msb_error_msg(&err));
	cr_assert_eq(n, 2);
	cr_assert_str_eq(keys[1].type, "ssh-rsa");
	msb_pubkeys_free(keys, n);
	free(text);
	/* no trailing newline */
	cr_assert_eq(msb_pubkeys_parse_text(fixtures[4].line,
	    strlen(fixtures[4].line), &keys, &n, &err), 0);
	cr_assert_eq(n, 1);
	msb_pubkeys_free(keys, n);
	/* one bad line spoils the batch, and says which line */
	cr_assert_neq(asprintf(&text, "%s\n\nssh-ed25519 AAAA\n", fixtures[0].line),
	    -1);
	cr_assert_eq(msb_pubkeys_parse_text(text, strlen(text), &keys, &n, &err),
	    -1);
	cr_assert_not_null(strstr(msb_error_msg(&err), "line 3:"), "%s",
	    msb_error_msg(&err));
	cr_assert_null(keys);
	msb_error_clear(&err);
	free(text);
	/* only comments */
	cr_assert_eq(msb_pubkeys_parse_text("# x\n\n", 5, &keys, &n, &err), -1);
	cr_assert_eq(err.code, ENOENT);
	msb_error_clear(&err);
}

Test(keys, equality_ignores_options_and_comment)
{
	struct msb_pubkey a, b, c;
	char *b64 = fixture_b64(0), *line;

	cr_assert_neq(asprintf(&line, "no-pty,from=\"x\" ssh-ed25519 %s other", b64),
	    -1);
	cr_assert_eq(parse(fixtures[0].line, &a, NULL), 1);
	cr_assert_eq(parse(line, &b, NULL), 1);
	cr_assert_eq(parse(fixtures[1].line, &c, NULL), 1);   /* its certificate */
	cr_assert(msb_pubkey_equal(&a, &b));
	cr_assert_not(msb_pubkey_equal(&a, &c));
	msb_pubkey_free(&a);
	msb_pubkey_free(&b);
	msb_pubkey_free(&c);
	free(line);
	free(b64);
}

static char *
tmpdir(void)
{
	char *d = strdup("/tmp/msb-test-keys.XXXXXX");

	cr_assert_not_null(mkdtemp(d));
	return d;
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t n = 0;

	cr_assert_not_null(f, "%s", path);
	cr_assert_neq(getdelim(&s, &n, '\0', f), -1);
	fclose(f);
	return s;
}

Test(authkeys, add_dedupe_remove_permissions)
{
	char *d = tmpdir(), *dir, *path, *content;
	struct msb_authkeys ak;
	struct msb_pubkey k, k2;
	struct msb_error err = MSB_ERROR_INIT;
	struct stat st;
	FILE *f;

	cr_assert_neq(asprintf(&dir, "%s/ssh", d), -1);
	cr_assert_neq(asprintf(&path, "%s/authorized_keys", dir), -1);
	/* a fresh dir, created 0700 */
	cr_assert_eq(msb_authkeys_open(dir, &ak, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	cr_assert_eq(ak.n, 0);
	cr_assert_eq(parse(fixtures[0].line, &k, NULL), 1);
	cr_assert_eq(msb_authkeys_find(&ak, &k), -1);
	cr_assert_eq(msb_authkeys_append(&ak, &k, &err), 0);
	cr_assert_eq(msb_authkeys_commit(&ak, &err), 0, "%s", msb_error_msg(&err));
	msb_authkeys_close(&ak);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	content = read_file(path);
	cr_assert_eq(strncmp(content, fixtures[0].line, strlen(fixtures[0].line)),
	    0);
	free(content);

	/* a user-added junk line and comment survive every rewrite */
	f = fopen(path, "a");
	fputs("# note\nthis is not a key\n", f);
	fclose(f);
	cr_assert_eq(msb_authkeys_open(dir, &ak, &err), 0);
	cr_assert_eq(ak.n, 3);
	cr_assert_eq(ak.v[2].kind, MSB_AK_BAD);
	cr_assert_not_null(ak.v[2].error);
	/* same key with other options/comment: a duplicate */
	{
		char *b64 = fixture_b64(0), *line;

		cr_assert_neq(asprintf(&line, "no-pty ssh-ed25519 %s again", b64), -1);
		cr_assert_eq(parse(line, &k2, NULL), 1);
		cr_assert_eq(msb_authkeys_find(&ak, &k2), 0);
		msb_pubkey_free(&k2);
		free(line);
		free(b64);
	}
	cr_assert_eq(parse(fixtures[2].line, &k2, NULL), 1);
	cr_assert_eq(msb_authkeys_append(&ak, &k2, &err), 0);
	cr_assert_eq(msb_authkeys_commit(&ak, &err), 0);
	msb_authkeys_close(&ak);
	content = read_file(path);
	cr_assert_not_null(strstr(content, "# note\nthis is not a key\n"));
	cr_assert_not_null(strstr(content, fixtures[2].line));
	free(content);

	/* remove the first key */
	cr_assert_eq(msb_authkeys_open(dir, &ak, &err), 0);
	cr_assert_eq(ak.n, 4);
	cr_assert_eq(msb_authkeys_find(&ak, &k), 0);
	msb_authkeys_remove(&ak, 0);
	cr_assert_eq(msb_authkeys_commit(&ak, &err), 0);
	msb_authkeys_close(&ak);
	content = read_file(path);
	cr_assert_null(strstr(content, fixtures[0].line));
	cr_assert_not_null(strstr(content, fixtures[2].line));
	free(content);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);

	/* no temporary files left behind */
	{
		char *cmd;

		cr_assert_neq(asprintf(&cmd, "test $(ls -A %s | wc -l) = 1", dir),
		    -1);
		cr_assert_eq(system(cmd), 0);
		free(cmd);
		cr_assert_neq(asprintf(&cmd, "rm -rf %s", d), -1);
		cr_assert_eq(system(cmd), 0);
		free(cmd);
	}
	msb_pubkey_free(&k);
	msb_pubkey_free(&k2);
	free(dir);
	free(path);
	free(d);
}

Test(authkeys, loose_dir_tightened_and_foreign_file_type_refused)
{
	char *d = tmpdir(), *dir, *path, *cmd;
	struct msb_authkeys ak;
	struct msb_error err = MSB_ERROR_INIT;
	struct stat st;

	cr_assert_neq(asprintf(&dir, "%s/ssh", d), -1);
	cr_assert_neq(asprintf(&path, "%s/authorized_keys", dir), -1);
	cr_assert_eq(mkdir(dir, 0755), 0);
	cr_assert_eq(chmod(dir, 0755), 0);
	cr_assert_eq(mkdir(path, 0700), 0);     /* a directory where the file goes */
	cr_assert_eq(msb_authkeys_open(dir, &ak, &err), -1);
	cr_assert_not_null(strstr(msb_error_msg(&err), "not a regular file"));
	msb_error_clear(&err);
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	cr_assert_neq(asprintf(&cmd, "rm -rf %s", d), -1);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(dir);
	free(path);
	free(d);
}

Test(base64, strict_decoding)
{
	uint8_t *out;
	size_t n;
	char *s;

	cr_assert_eq(msb_b64_decode("aGVsbG8=", 8, &out, &n), 0);
	cr_assert_eq(n, 5);
	cr_assert_eq(memcmp(out, "hello", 5), 0);
	free(out);
	cr_assert_eq(msb_b64_decode("aGVsbG8", 7, &out, &n), 0);   /* unpadded */
	free(out);
	cr_assert_eq(msb_b64_decode("aGVsbG9=", 8, &out, &n), -1); /* bits set */
	cr_assert_eq(msb_b64_decode("aGVsbG8==", 9, &out, &n), -1);
	cr_assert_eq(msb_b64_decode("a", 1, &out, &n), -1);
	cr_assert_eq(msb_b64_decode("aG=sbG8=", 8, &out, &n), -1);
	cr_assert_eq(msb_b64_decode("aGVs bG8=", 9, &out, &n), -1);
	s = msb_b64_encode((const uint8_t *)"hello", 5, 1);
	cr_assert_str_eq(s, "aGVsbG8=");
	free(s);
	s = msb_b64_encode((const uint8_t *)"hello", 5, 0);
	cr_assert_str_eq(s, "aGVsbG8");
	free(s);
}

Test(keys, options_lookup)
{
	char *v;

	cr_assert_eq(msb_keyopts_get("no-pty,command=\"echo \\\"a,b\\\"\",from=\"x\"",
	    "command", &v), 1);
	cr_assert_str_eq(v, "echo \"a,b\"");
	free(v);
	cr_assert_eq(msb_keyopts_get("no-pty,FROM=\"x\"", "from", &v), 1);
	cr_assert_str_eq(v, "x");
	free(v);
	cr_assert_eq(msb_keyopts_get("cert-authority,no-pty", "cert-authority", &v), 1);
	cr_assert_null(v);
	cr_assert_eq(msb_keyopts_get("no-pty", "command", &v), 0);
	cr_assert_null(v);
	cr_assert_eq(msb_keyopts_get("restrict,pty", "no-pty", &v), 0);
}

Test(keys, certificate_info)
{
	struct msb_pubkey cert, ca, want, plain;
	struct msb_error err = MSB_ERROR_INIT;
	char *fc;
	size_t i;

	cr_assert_eq(parse(CA_KEY, &want, NULL), 1);
	cr_assert_eq(parse(FORCE_CMD_CERT, &cert, &err), 1, "%s", msb_error_msg(&err));
	cr_assert(msb_pubkey_is_cert(&cert));
	cr_assert_eq(msb_pubkey_cert_info(&cert, &ca, &fc, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert(msb_pubkey_equal(&ca, &want));
	cr_assert_str_eq(fc, "echo hi there");
	free(fc);
	msb_pubkey_free(&ca);
	msb_pubkey_free(&cert);
	/* every certificate fixture names the same CA and no force-command */
	for (i = 1; i < NFIXTURES; i += 2) {
		cr_assert_eq(parse(fixtures[i].line, &cert, NULL), 1);
		cr_assert_eq(msb_pubkey_cert_info(&cert, &ca, &fc, &err), 0,
		    "%s: %s", fixtures[i].type, msb_error_msg(&err));
		cr_assert(msb_pubkey_equal(&ca, &want), "%s", fixtures[i].type);
		cr_assert_null(fc);
		msb_pubkey_free(&ca);
		msb_pubkey_free(&cert);
	}
	cr_assert_eq(parse(fixtures[0].line, &plain, NULL), 1);
	cr_assert_not(msb_pubkey_is_cert(&plain));
	cr_assert_eq(msb_pubkey_cert_info(&plain, &ca, &fc, &err), -1);
	msb_error_clear(&err);
	msb_pubkey_free(&plain);
	msb_pubkey_free(&want);
}

Test(authkeys, snapshot_tags_every_key_line)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pubkey k;
	char *text, *out, *line2, *line4, *v;
	size_t nbad;

	cr_assert_neq(asprintf(&text, "# keys\n%s\nnot a key\nno-pty,command=\"x\" %s",
	    fixtures[0].line, fixtures[2].line), -1);
	cr_assert_eq(msb_authkeys_snapshot(text, strlen(text), &out, &nbad, &err),
	    0, "%s", msb_error_msg(&err));
	cr_assert_eq(nbad, 1);
	/* line for line: the comment, tagged key 2, the bad line commented
	 * out, tagged key 4 with its own options kept after the tag */
	cr_assert_eq(strncmp(out, "# keys\n", 7), 0, "%s", out);
	line2 = strchr(out, '\n') + 1;
	cr_assert_eq(strncmp(line2, "environment=\"MSB_KEY_LINE=2\" ssh-ed25519 ",
	    41), 0, "%s", out);
	cr_assert_not_null(strstr(out, "\n# msb: ignored ("));
	line4 = strstr(out, "environment=\"MSB_KEY_LINE=4\",no-pty,command=\"x\" ssh-rsa ");
	cr_assert_not_null(line4, "%s", out);
	cr_assert_eq(parse(strtok(line4, "\n"), &k, &err), 1, "%s",
	    msb_error_msg(&err));
	cr_assert_eq(msb_keyopts_get(k.options, "environment", &v), 1);
	cr_assert_str_eq(v, "MSB_KEY_LINE=4");
	free(v);
	cr_assert_eq(msb_keyopts_get(k.options, "command", &v), 1);
	cr_assert_str_eq(v, "x");
	free(v);
	msb_pubkey_free(&k);
	free(out);
	free(text);
	cr_assert_eq(msb_authkeys_snapshot("a\0b", 3, &out, &nbad, &err), -1);
	msb_error_clear(&err);
}

Test(keys, unterminated_input_is_not_overread)
{
	size_t i, len;
	char *buf;
	struct msb_pubkey k;

	/* exactly len bytes, no terminator (ASan builds catch any overread) */
	for (i = 0; i < NFIXTURES; i++) {
		len = strlen(fixtures[i].line);
		buf = malloc(len);
		memcpy(buf, fixtures[i].line, len);
		cr_assert_eq(msb_pubkey_parse_line(buf, len, &k, NULL), 1);
		msb_pubkey_free(&k);
		cr_assert_eq(msb_pubkey_parse_line(buf, strcspn(fixtures[i].line, " "),
		    &k, NULL), -1);
		free(buf);
	}
	buf = malloc(7);
	memcpy(buf, "no-pty ", 7);
	cr_assert_eq(msb_pubkey_parse_line(buf, 7, &k, NULL), -1);
	free(buf);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	cr_assert_geq(fputs(text, f), 0);
	cr_assert_eq(fclose(f), 0);
}

/* New options replace the line in place; stray copies go; same is a no-op. */
Test(authkeys, put_replaces_in_place)
{
	char *d = tmpdir(), *dir, *path, *content, *b64 = fixture_b64(0);
	char *bare, *restricted, *text, *cmd;
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_authkeys ak;
	struct msb_pubkey k;
	struct stat st;

	cr_assert_neq(asprintf(&dir, "%s/ssh", d), -1);
	cr_assert_neq(asprintf(&path, "%s/authorized_keys", dir), -1);
	cr_assert_eq(mkdir(dir, 0700), 0);
	cr_assert_neq(asprintf(&bare, "ssh-ed25519 %s me", b64), -1);
	cr_assert_neq(asprintf(&restricted,
	    "from=\"10.9.9.9\",restrict ssh-ed25519 %s me", b64), -1);
	cr_assert_neq(asprintf(&text, "# top\n%s\n%s\n%s copy\n",
	    bare, fixtures[2].line, bare), -1);
	write_file(path, text);

	cr_assert_eq(msb_authkeys_open(dir, &ak, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert_eq(parse(restricted, &k, NULL), 1);
	cr_assert_eq(msb_authkeys_put(&ak, &k, &err), MSB_AK_PUT_UPDATED);
	cr_assert_eq(msb_authkeys_commit(&ak, &err), 0, "%s", msb_error_msg(&err));
	msb_authkeys_close(&ak);
	content = read_file(path);
	free(text);
	cr_assert_neq(asprintf(&text, "# top\n%s\n%s\n", restricted,
	    fixtures[2].line), -1);
	cr_assert_str_eq(content, text);
	free(content);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);

	/* the identical line again: nothing to write */
	cr_assert_eq(msb_authkeys_open(dir, &ak, &err), 0);
	cr_assert_eq(msb_authkeys_put(&ak, &k, &err), MSB_AK_PUT_SAME);
	cr_assert_eq(ak.dirty, 0);
	msb_authkeys_close(&ak);
	msb_pubkey_free(&k);

	/* a new key is appended */
	cr_assert_eq(msb_authkeys_open(dir, &ak, &err), 0);
	cr_assert_eq(parse(fixtures[3].line, &k, NULL), 1);
	cr_assert_eq(msb_authkeys_put(&ak, &k, &err), MSB_AK_PUT_ADDED);
	cr_assert_eq(ak.n, 4);
	msb_authkeys_close(&ak);
	msb_pubkey_free(&k);

	cr_assert_neq(asprintf(&cmd, "rm -rf %s", d), -1);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(text);
	free(bare);
	free(restricted);
	free(b64);
	free(path);
	free(dir);
	free(d);
}
