/**
 * Each node the engine evaluates: the limit on evaluations, the virtual clock's cost of work, and
 * the steps of statements, `await` and `yield`.
 */
import { SourceTextModuleRecord, surroundingAgent, type ParseNode } from '@engine262/engine262';
import { EVALUATION_LIMIT, MS_PER_EVALUATION } from '../types.ts';
import type { CallStack } from './call-stack.ts';
import { rangeOf } from './engine.ts';
import type { JobDescriptions } from './jobs.ts';
import { LimitReached, type RecordingKernel } from './kernel.ts';
import { clip, quote } from './narration.ts';

/** Statements (and an arrow function's expression body) each make a step. */
const STATEMENTS = new Set<string>([
  'ExpressionStatement',
  'VariableStatement',
  'LexicalDeclaration',
  'ReturnStatement',
  'IfStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'ForAwaitStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ThrowStatement',
  'TryStatement',
  'BreakStatement',
  'ContinueStatement',
  'SwitchStatement',
  'ClassDeclaration',
  'ExpressionBody',
]);

/** The engine's `onNodeEvaluation` hook for one recording. */
export function watchEvaluation(
  kernel: RecordingKernel<CallStack>,
  jobs: JobDescriptions,
): (node: ParseNode) => void {
  let evaluations = 0;
  return (node) => {
    if (++evaluations > EVALUATION_LIMIT)
      throw new LimitReached(`the run went past ${EVALUATION_LIMIT.toLocaleString('en')} evaluations.`);
    kernel.nowMs += MS_PER_EVALUATION;
    if (!kernel.module) {
      const module = surroundingAgent.runningExecutionContext.ScriptOrModule;
      if (module instanceof SourceTextModuleRecord) kernel.module = module;
      else return;
    }
    const range = rangeOf(node);
    kernel.lastLine = range.line;
    if (kernel.currentJob && !kernel.currentJob.observed) jobs.observe();
    kernel.stack.settle(range);
    if (node.type === 'AwaitExpression') {
      // The function suspends once the operand is evaluated: the step is made when it leaves the stack.
      kernel.stack.awaitAt(surroundingAgent.runningExecutionContext, range);
    } else if (node.type === 'YieldExpression') {
      kernel.push('statement', `${quote('yield')} hands a value back to the generator's caller.`, range);
    } else if (STATEMENTS.has(node.type)) {
      kernel.push('statement', statementNarration(node), range);
    }
  };
}

function statementNarration(node: ParseNode): string {
  const text = clip(node.sourceText.split('\n')[0] ?? '', 60);
  switch (node.type) {
    case 'ReturnStatement':
      return `${quote(text)} returns from the function.`;
    case 'ThrowStatement':
      return `${quote(text)} throws.`;
    case 'ExpressionBody':
      return `The arrow function evaluates ${quote(text)}.`;
    default:
      return `Line ${node.location.start.line} runs: ${quote(text)}.`;
  }
}
