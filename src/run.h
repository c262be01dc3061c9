/* run.h -- private to the pipeline: the internal checks the run reports itself.
 *
 * CL0001, CL0002 and CL0005 have no run(): the pipeline reports them from the parser's
 * problems and from document roots that are not Kubernetes objects; CL0003, CL0006 and
 * CL4001 from the chart renderer's failures and the chart loader's problems. Their definitions
 * live in checks/yaml_syntax.c, checks/duplicate_key.c and checks/not_k8s_object.c. */
#ifndef CL_RUN_H
#define CL_RUN_H

#include "check.h"

extern const struct cl_check cl_check_yaml_syntax;       /* CL0001 */
extern const struct cl_check cl_check_duplicate_key;     /* CL0002 */
extern const struct cl_check cl_check_not_k8s_object;    /* CL0005 */
extern const struct cl_check cl_check_render_error;      /* CL0003 */
extern const struct cl_check cl_check_values_schema;     /* CL0007 */
extern const struct cl_check cl_check_chart_content;     /* CL0006 */
extern const struct cl_check cl_check_invalid_suppression; /* CL0008 */
extern const struct cl_check cl_check_unused_suppression; /* CL0009 */
extern const struct cl_check cl_check_stale_baseline;    /* CL0012 */
extern const struct cl_check cl_check_chart_metadata;    /* CL4001 */
extern const struct cl_check cl_check_config_error;      /* CL0011 */

#endif
