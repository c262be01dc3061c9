/* chart_content.c -- CL0006: a chart's files cannot be used as they are (reported by the
 * pipeline from the chart loader's problems). */
#include "check.h"

const struct cl_check cl_check_chart_content = {
    .code = "CL0006",
    .name = "chart-content",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,
    .kinds = 0,
    .summary = "Chart file is refused or cannot be read",
    .rationale = "Helm refuses charts whose files leave the chart through symlinks, exceed its "
                 "size limits or are broken archives, and ignores .helmignore rules it cannot "
                 "parse; what is refused is neither rendered nor checked.",
    .remediation = "Keep every file of the chart inside its directory and under the size "
                   "limits, repackage broken subchart archives, and fix the reported "
                   ".helmignore line.",
    .example_file = ".helmignore",
    .example_bad = "# editor files\n"
                   "**\n",
    .example_good = "# editor files\n"
                    "*.swp\n",
    .internal = true,
};
