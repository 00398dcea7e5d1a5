/** Background loops that are restarted with backoff when they fail, and say so: their status and the one retry classification. */
package io.ballast.supervise;
