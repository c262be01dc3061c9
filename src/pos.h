/* pos.h -- source positions as users see them: 1-based line and column. */
#ifndef CL_POS_H
#define CL_POS_H

#include <stdbool.h>
#include <stdint.h>

/* A region of a file. end_line/end_col are 1-based and exclusive of the last
 * column (like SARIF's endColumn); a zero end means "same as start". */
struct cl_pos {
    const char *file;        /* display path; lives in the run arena */
    uint32_t line, col;
    uint32_t end_line, end_col;
    bool rendered;           /* line counts within a rendered document, not a file */
};

#endif
