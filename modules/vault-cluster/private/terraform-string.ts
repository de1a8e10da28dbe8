/**
 * Prepares text to be a string argument of a Terraform function (Fn.base64encode) in cdktf.
 *
 * cdktf writes such an argument as an HCL quoted string: it escapes newlines and literal `${`
 * itself and keeps its tokens as `${...}` interpolations, but refuses unescaped double quotes and
 * leaves backslashes and `%{` (a template directive) alone. This escapes those three, and
 * nothing inside tokens (which contain none of them).
 */
export function asTerraformFunctionString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%\{/g, '%%{');
}
