/**
 * Picking one node of a tree (a folder of the mailbox, a branch of the CRM classification
 * tree): a Fluent Tree in single-selection mode, every branch open at first. Arrow keys
 * move, Right/Left (or the chevron) open and close, Space or Enter picks, and so does a
 * click on the name.
 */
import { Tree, TreeItem, TreeItemLayout } from '@fluentui/react-components';
import { useMemo, useState, type ReactElement, type ReactNode } from 'react';

export interface TreeNode {
  value: string;
  label: ReactNode;
  /** The item's accessible name (else its text, children included). */
  text: string;
  children: TreeNode[];
  /** A node shown only to hold its children (a folder path's missing parent). */
  selectable?: boolean;
  icon?: ReactElement;
}

export interface TreeSelectProps {
  nodes: readonly TreeNode[];
  value: string | undefined;
  onChange: (value: string) => void;
  'aria-label': string;
}

function branchValues(nodes: readonly TreeNode[]): string[] {
  return nodes.flatMap((n) =>
    n.children.length > 0 ? [n.value, ...branchValues(n.children)] : [],
  );
}

export function TreeSelect({ nodes, value, onChange, ...rest }: TreeSelectProps) {
  const branches = useMemo(() => branchValues(nodes), [nodes]);
  const [openItems, setOpenItems] = useState<Set<string>>(() => new Set(branches));
  const selectable = useMemo(() => {
    const out = new Set<string>();
    const walk = (list: readonly TreeNode[]) =>
      list.forEach((n) => {
        if (n.selectable !== false) out.add(n.value);
        walk(n.children);
      });
    walk(nodes);
    return out;
  }, [nodes]);

  const pick = (node: TreeNode): void => {
    if (node.selectable !== false) onChange(node.value);
  };

  const render = (node: TreeNode) => (
    <TreeItem
      key={node.value}
      value={node.value}
      aria-label={node.text}
      itemType={node.children.length > 0 ? 'branch' : 'leaf'}
      onKeyDown={(event) => {
        // Only the focused item: the event bubbles through the items around it.
        if (event.key === 'Enter' && event.target === event.currentTarget) pick(node);
      }}
    >
      <TreeItemLayout
        onClick={() => pick(node)}
        iconBefore={node.icon}
        {...(node.selectable === false ? { selector: null } : {})}
      >
        {node.label}
      </TreeItemLayout>
      {node.children.length > 0 && <Tree>{node.children.map(render)}</Tree>}
    </TreeItem>
  );

  return (
    <Tree
      aria-label={rest['aria-label']}
      selectionMode="single"
      checkedItems={value !== undefined ? [value] : []}
      onCheckedChange={(_, data) => {
        const picked = String(data.value);
        if (selectable.has(picked)) onChange(picked);
      }}
      openItems={openItems}
      onOpenChange={(_, data) => {
        // A click on a name or Enter picks the node; only the chevron and the arrow keys
        // open and close a branch, so picking "Zákazníci" does not fold it away.
        if (data.type === 'Click' || data.type === 'Enter') return;
        setOpenItems(new Set([...data.openItems].map(String)));
      }}
    >
      {nodes.map(render)}
    </Tree>
  );
}
