/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared pieces of the Check unit tests. */
#ifndef TDMX_TESTS_UNIT_H
#define TDMX_TESTS_UNIT_H

#include <check.h>
#include <stdlib.h>

/* Each test file ends with TDMX_CHECK_MAIN(its_suite_function). */
#define TDMX_CHECK_MAIN(suite_fn)					\
	int main(void)							\
	{								\
		SRunner *sr = srunner_create(suite_fn());		\
		int failed;						\
									\
		srunner_run_all(sr, CK_NORMAL);				\
		failed = srunner_ntests_failed(sr);			\
		srunner_free(sr);					\
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;		\
	}

#endif /* TDMX_TESTS_UNIT_H */
