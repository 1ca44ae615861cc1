/* msb-shell: placeholder until implemented. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "msb-shell: not implemented yet\n");
	return 1;
}
